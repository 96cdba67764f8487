#!/usr/bin/env bash
# The image and host bring-up tests run on a real Docker engine. No registry can be reached from
# these machines, so the engine runs without bridges or iptables (every container uses
# `--network host`, all traffic stays on 127.0.0.1) and the base images are made locally:
#   local/debian:bookworm     debootstrap's minbase, stands in for debian:bookworm-slim
#   local/node:20-bookworm    the same plus this machine's Node 20 and npm, stands in for node:20-bookworm-slim
# Idempotent: installs, starts or builds only what is missing. Progress goes to stderr.
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/odooops-dockerd.log}"
DEBIAN_IMAGE="local/debian:bookworm"
NODE_IMAGE="local/node:20-bookworm"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
say() { echo "ensure-docker: $*" >&2; }

# Only what is missing: a machine that already has an engine (Docker's own packages conflict with docker.io)
# keeps it and gets debootstrap alone.
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing Debian's ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (vfs, no bridge, no iptables), log in $DOCKERD_LOG"
  # setsid: the engine outlives this script and is not in the caller's process group.
  $SUDO setsid dockerd --storage-driver=vfs --bridge=none --iptables=false --ip6tables=false \
    >>"$DOCKERD_LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then break; fi
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    say "dockerd did not answer within 60 s; its log, $DOCKERD_LOG, ends with:"
    tail -n 20 "$DOCKERD_LOG" >&2
    exit 1
  fi
fi

image_present() { docker image inspect "$1" >/dev/null 2>&1; }

if ! image_present "$DEBIAN_IMAGE"; then
  say "building $DEBIAN_IMAGE with debootstrap (about 2 minutes)"
  rootfs="$(mktemp -d /var/tmp/odooops-bookworm.XXXXXX)"
  trap '$SUDO rm -rf "$rootfs"' EXIT
  $SUDO debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >&2
  # The same sources as debian:bookworm-slim, so `apt-get install` in a Dockerfile sees security fixes.
  printf '%s\n' \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main" |
    $SUDO tee "$rootfs/etc/apt/sources.list" >/dev/null
  $SUDO rm -rf "$rootfs/var/cache/apt/archives"/*.deb "$rootfs/var/lib/apt/lists"/*
  # mktemp made the directory 0700, and tar records it as the image's `/`: no other user could enter it.
  $SUDO chmod 0755 "$rootfs"
  $SUDO tar -C "$rootfs" -c . | docker import - "$DEBIAN_IMAGE" >/dev/null
fi

if ! image_present "$NODE_IMAGE"; then
  node_bin="$(command -v node)"
  node_major="$("$node_bin" -p 'process.versions.node.split(".")[0]')"
  if [ "$node_major" != "20" ]; then
    say "this machine's Node is $("$node_bin" --version), the agent image needs Node 20 LTS"
    exit 1
  fi
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  say "building $NODE_IMAGE from $DEBIAN_IMAGE with $node_bin ($("$node_bin" --version)) and npm from $npm_dir"
  ctx="$(mktemp -d /var/tmp/odooops-node.XXXXXX)"
  cp "$(readlink -f "$node_bin")" "$ctx/node"
  cp -a "$npm_dir" "$ctx/npm"
  # npm in a build reaches the registry through whatever this machine's network does (a TLS-inspecting
  # egress proxy here): the stand-in trusts what this machine trusts. Only this build-stage image does;
  # the agent image's own trust store is Debian's ca-certificates.
  ca_bundle="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
  if [ -f "$ca_bundle" ]; then cp "$ca_bundle" "$ctx/ca-certificates.crt"; else : >"$ctx/ca-certificates.crt"; fi
  # Same layout as the official node image: node and npm under /usr/local.
  cat >"$ctx/Dockerfile" <<EOF
FROM $DEBIAN_IMAGE
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
EOF
  # No bridge exists: a RUN step gets the host network, as every container here does.
  DOCKER_BUILDKIT=1 /usr/bin/docker build -q --network host -t "$NODE_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

say "ready: $(docker version --format 'engine {{.Server.Version}}'), images $DEBIAN_IMAGE and $NODE_IMAGE"
