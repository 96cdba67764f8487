# The Odoo stand-in (odoo-standin.mjs) where the official image has Odoo: `odoo` on the PATH, uid 101.
ARG NODE_IMAGE=local/node:20-bookworm
FROM ${NODE_IMAGE}
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY --chmod=0755 odoo-standin.mjs /usr/bin/odoo
# The official image's directory for odoo.conf, where the platform uploads its own.
RUN mkdir -p /etc/odoo
USER 101:101
ENTRYPOINT ["odoo"]
