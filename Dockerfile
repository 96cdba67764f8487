# The odooops data agent (agent/README.md): `odooops agent clone|backup|restore|drill|serve` with the
# PostgreSQL 15 client tools of the servers it talks to. Released by .github/workflows/agent-release.yml,
# which pins what it pushed in model/plan/platform-images.ts.
#
# Both bases are pinned by digest; the build args let a machine without a registry build the same file
# from local stand-ins (scripts/ensure-docker.sh makes local/debian:bookworm and local/node:20-bookworm):
#   DOCKER_BUILDKIT=1 docker build --network host \
#     --build-arg BASE_IMAGE=local/debian:bookworm --build-arg NODE_IMAGE=local/node:20-bookworm .
ARG BASE_IMAGE=docker.io/library/debian:bookworm-slim@sha256:4b50eb66f977b4062683ff434ef18ac191da862dbe966961bc11990cf5791a8d
ARG NODE_IMAGE=docker.io/library/node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

# Node 20 LTS and the CLI's production dependencies, assembled under /rootfs so that everything the agent
# image takes from this stage lands in one layer (npm itself stays behind).
FROM ${NODE_IMAGE} AS cli
WORKDIR /rootfs/opt/odooops
# --ignore-scripts: the package's own prepare script (scripts/build-cli.mjs) needs the sources, which come
# after this layer so that a source edit does not reinstall the dependencies; the dependencies' install
# scripts (the Pulumi plugin download of @pulumi/command, esbuild's and protobufjs's checks) serve nothing
# the agent runs. The CLI is then prebuilt from the sources: every `docker exec … odooops` starts from the
# bundle instead of compiling TypeScript (bin/bundle.js).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \
 && mkdir -p /rootfs/usr/local/bin \
 && cp /usr/local/bin/node /rootfs/usr/local/bin/node \
 && ln -s /opt/odooops/bin/odooops.js /rootfs/usr/local/bin/odooops
COPY . .
RUN node scripts/build-cli.mjs

FROM ${BASE_IMAGE}
# The agent's pg_dump must be the servers' major version (a dump from an older pg_dump is refused by a
# newer server's features, a newer one cannot be restored into an older server): PostgreSQL 15.
# uid 101 is the official Odoo image's `odoo` user (model/host-layout.ts ODOO_UID): the agent reads and
# writes the filestores Odoo owns on the host's volume, and is root nowhere.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-client-15 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 101 odooops \
 && useradd --system --uid 101 --gid 101 --home-dir /var/lib/odooops --create-home --shell /usr/sbin/nologin odooops
COPY --from=cli /rootfs/ /
# PATH said here, not inherited: an imported base (the local stand-in) carries no environment at all.
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_ENV=production \
    ODOOOPS_PG_BIN=/usr/lib/postgresql/15/bin
USER 101:101
WORKDIR /var/lib/odooops
# Resident mode (`odooops agent serve`) is healthy while its process lives and the client tools it
# shells out to still run; both are cheap, unlike starting the CLI every 30 s.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["sh", "-c", "kill -0 1 && \"$ODOOOPS_PG_BIN/pg_dump\" --version >/dev/null"]
CMD ["odooops", "agent", "serve"]
