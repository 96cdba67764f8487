import { shortHash } from "../naming.ts";

/**
 * Where things live on a host: container names, ports and paths. Names are per environment slug so that
 * the previews sharing a dev host never collide, and the proxy reaches each one by container name on
 * the host's Docker network.
 */
export const DOCKER_NETWORK = "odooops";
export const PROXY_CONTAINER = "odooops-proxy";
export const AGENT_CONTAINER = "odooops-agent";
/** The block-storage volume holding every filestore of the host. */
export const FILESTORE_MOUNT = "/mnt/odooops";
export const ODOO_HTTP_PORT = 8069;
/** Odoo's websocket/longpolling port (`gevent_port`), used when workers > 0. */
export const ODOO_GEVENT_PORT = 8072;
export const MAILPIT_SMTP_PORT = 1025;
export const MAILPIT_UI_PORT = 8025;
/** Mailpit's web UI is served under this path of the environment's own host name. */
export const MAILPIT_WEBROOT = "/mailpit";
export const MAILPIT_UI_USER = "odooops";

/** Where the Odoo container reads its generated odoo.conf (components/odoo.ts uploads it there). */
export const ODOO_CONF_PATH = "/etc/odoo/odoo.conf";

/**
 * How the deployer reaches a host: DigitalOcean installs the stack's deploy key for root and cloud-init
 * adds no other user (components/host.ts connects the same way). A host's key is trusted on first use
 * and a changed one refused: after a host is rebuilt, `ssh-keygen -R <host>` drops the old entry.
 */
export const HOST_SSH_USER = "root";
export const HOST_SSH_OPTIONS: readonly string[] = [
  "-o",
  "StrictHostKeyChecking=accept-new",
  "-o",
  "ServerAliveInterval=30",
];

/** The `odoo` user of the official Odoo images, which owns the filestore. */
export const ODOO_UID = 101;

export function odooContainer(slug: string): string {
  return `odoo-${slug}`;
}

export function mailpitContainer(slug: string): string {
  return `mailpit-${slug}`;
}

/** The environment's Odoo data_dir on the host. */
export function filestorePath(slug: string): string {
  return `${FILESTORE_MOUNT}/${slug}`;
}

/** Where Odoo keeps one database's attachments: `<data_dir>/filestore/<database>`. */
export function databaseFilestore(dataDir: string, database: string): string {
  return `${dataDir}/filestore/${database}`;
}

/** The shared dev host's key, in place of an environment slug. */
export const SHARED_DEV_HOST = "dev-shared";

/**
 * Name of a host's droplet and volume: `<project>-<slug>`. Both become host names and volume names,
 * which DigitalOcean limits to 63 characters; longer ones keep a readable prefix and a hash.
 */
export function hostName(project: string, key: string): string {
  const name = `${project}-${key}`;
  return name.length <= 63 ? name : `${name.slice(0, 54).replace(/-+$/, "")}-${shortHash(name)}`;
}
