import type { Stage } from "../stages.ts";
import {
  MAILPIT_UI_PORT,
  MAILPIT_UI_USER,
  MAILPIT_WEBROOT,
  mailpitContainer,
  ODOO_GEVENT_PORT,
  ODOO_HTTP_PORT,
  odooContainer,
} from "./host-layout.ts";

/**
 * The proxy's routing, as data: one site per environment on the host, each answering on its host
 * names with automatic certificates (Caddy obtains and renews them on its own).
 */
export interface ProxySite {
  slug: string;
  stage: Stage;
  hostnames: string[];
  /** Prefork workers need websocket traffic sent to Odoo's gevent port. */
  websocket: boolean;
  /** Mailpit's UI behind basic auth, for environments with a mail catcher. */
  mailpit: boolean;
  /** The image digest Odoo runs, sent as X-Odooops-Image so the post-deploy health check sees the build. */
  digest: string | undefined;
}

interface SiteSource {
  slug: string;
  stage: Stage;
  hostnames: string[];
  workers: number;
  mail: { catcher: boolean };
  image?: string;
}

export function proxySite(env: SiteSource): ProxySite {
  return {
    slug: env.slug,
    stage: env.stage,
    hostnames: env.hostnames,
    websocket: env.workers > 0,
    mailpit: env.stage !== "production" && env.mail.catcher,
    digest: env.image?.match(/@(sha256:[a-f0-9]{64})$/)?.[1],
  };
}

export interface CaddyfileInput {
  /** ACME account e-mail for certificate expiry notices. */
  acmeEmail: string;
  sites: readonly ProxySite[];
  /** bcrypt hash of each site's Mailpit UI password, by slug. */
  mailpitPasswordHashes: Readonly<Record<string, string>>;
  /** Platform services (model/plan/services/): a host name routed to a container's port, nothing else. */
  services?: readonly { hostname: string; upstream: string }[];
}

export function renderCaddyfile(input: CaddyfileInput): string {
  const blocks = input.sites.map((site) => {
    const lines = [`${site.hostnames.join(", ")} {`, "\tencode zstd gzip"];
    // Nothing outside production should end up in a search index.
    if (site.stage !== "production") lines.push('\theader X-Robots-Tag "noindex, nofollow"');
    if (site.digest) lines.push(`\theader X-Odooops-Image "${site.digest}"`);
    if (site.mailpit) {
      const hash = input.mailpitPasswordHashes[site.slug];
      if (!hash) throw new Error(`no Mailpit password hash for ${site.slug}`);
      lines.push(
        `\thandle ${MAILPIT_WEBROOT}* {`,
        `\t\tbasic_auth {`,
        `\t\t\t${MAILPIT_UI_USER} ${hash}`,
        "\t\t}",
        `\t\treverse_proxy ${mailpitContainer(site.slug)}:${MAILPIT_UI_PORT}`,
        "\t}",
      );
    }
    if (site.websocket)
      lines.push(`\treverse_proxy /websocket* ${odooContainer(site.slug)}:${ODOO_GEVENT_PORT}`);
    lines.push(`\treverse_proxy ${odooContainer(site.slug)}:${ODOO_HTTP_PORT}`, "}");
    return lines.join("\n");
  });
  const services = (input.services ?? []).map(
    (s) => `${s.hostname} {\n\tencode zstd gzip\n\treverse_proxy ${s.upstream}\n}`,
  );
  return [`{\n\temail ${input.acmeEmail}\n}`, ...blocks, ...services, ""].join("\n\n");
}
