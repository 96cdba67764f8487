# The Mailpit stand-in (mail-catcher.mjs): like Mailpit's image, it runs the catcher with no arguments.
ARG NODE_IMAGE=local/node:20-bookworm
FROM ${NODE_IMAGE}
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY --chmod=0755 mail-catcher.mjs /usr/local/bin/mail-catcher
USER 65534:65534
CMD ["mail-catcher"]
