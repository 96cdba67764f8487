import { describe, expect, it } from "vitest";
import { proxySite, renderCaddyfile } from "../../../model/plan/proxy-config.ts";

const env = (stage: "production" | "staging" | "development", workers: number, catcher = true) => ({
  slug: stage === "production" ? "production" : "feature--x",
  stage,
  hostnames:
    stage === "production"
      ? ["acme.odooops.example", "erp.acme.example"]
      : ["feature--x.acme.dev.odooops.example"],
  workers,
  mail: { catcher },
});

describe("the proxy's Caddyfile", () => {
  it("answers each environment on its host names and routes to its Odoo container", () => {
    const text = renderCaddyfile({
      acmeEmail: "hostmaster@odooops.example",
      sites: [proxySite(env("production", 4))],
      mailpitPasswordHashes: {},
    });
    expect(text).toContain("email hostmaster@odooops.example");
    expect(text).toContain("acme.odooops.example, erp.acme.example {");
    expect(text).toContain("reverse_proxy odoo-production:8069");
    expect(text).toContain("reverse_proxy /websocket* odoo-production:8072");
    expect(text).not.toContain("X-Robots-Tag");
    expect(text).not.toContain("mailpit");
  });

  it("puts Mailpit's UI behind basic auth and keeps non-production out of search engines", () => {
    const site = proxySite(env("development", 0));
    const text = renderCaddyfile({
      acmeEmail: "a@b.example",
      sites: [site],
      mailpitPasswordHashes: { "feature--x": "$2a$10$hash" },
    });
    expect(text).toContain('header X-Robots-Tag "noindex, nofollow"');
    expect(text).toMatch(
      /handle \/mailpit\* \{\s+basic_auth \{\s+odooops \$2a\$10\$hash\s+\}\s+reverse_proxy mailpit-feature--x:8025/,
    );
    expect(text).not.toContain("/websocket");
  });

  it("refuses to publish a Mailpit UI without a password", () => {
    const site = proxySite(env("staging", 2));
    expect(() =>
      renderCaddyfile({ acmeEmail: "a@b.example", sites: [site], mailpitPasswordHashes: {} }),
    ).toThrow(/Mailpit password/);
  });

  it("serves no Mailpit UI where there is no mail catcher", () => {
    expect(proxySite(env("staging", 2, false)).mailpit).toBe(false);
    expect(proxySite(env("production", 2)).mailpit).toBe(false);
  });
});

describe("the build a site answers with", () => {
  it("sends the digest Odoo runs as X-Odooops-Image, for the post-deploy health check", () => {
    const digest = `sha256:${"ab".repeat(32)}`;
    const site = proxySite({ ...env("production", 2), image: `ghcr.io/acme/erp@${digest}` });
    const text = renderCaddyfile({ acmeEmail: "a@b.example", sites: [site], mailpitPasswordHashes: {} });
    expect(text).toContain(`header X-Odooops-Image "${digest}"`);
    expect(
      renderCaddyfile({
        acmeEmail: "a@b.example",
        sites: [proxySite(env("production", 2))],
        mailpitPasswordHashes: {},
      }),
    ).not.toContain("X-Odooops-Image");
  });
});
