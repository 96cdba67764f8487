import { describe, expect, it } from "vitest";
import { allowsPort, SMTP_PORTS } from "../../model/plan/firewall-rules.ts";
import { PLATFORM_IMAGES } from "../../model/plan/platform-images.ts";
import { catalog, input, plan, projectYaml, run } from "./support.ts";

const previews = (development = "{ placement: shared }", extra = "") =>
  plan(
    projectYaml("acme", `  development: ${development}\n`, extra),
    catalog("acme", [
      ["feature/login", "b-1"],
      ["feature/cart", "b-2"],
      ["feature/search", "b-3"],
    ]),
    "staging",
  );

describe("development previews", () => {
  it("share one dev host: one droplet, every preview's containers on its docker provider", async () => {
    const graph = await run(previews());
    const droplets = graph.ofType("digitalocean:index/droplet:Droplet");
    expect(droplets).toHaveLength(1);
    const [provider] = graph.ofType("pulumi:providers:docker");
    const odoo = graph
      .ofType("docker:index/container:Container")
      .filter((c) => c.name.endsWith("-odoo-container"));
    expect(odoo).toHaveLength(3);
    for (const c of odoo) {
      expect(c.options.provider?.startsWith(provider!.urn)).toBe(true);
      expect(graph.prerequisites(c)).toContain(graph.named("acme-dev-shared-ready").urn);
    }
    expect(graph.environmentOf(droplets[0]!)).toBeUndefined();
  });

  it("get a host each with placement: dedicated", async () => {
    const graph = await run(previews("{ placement: dedicated }"));
    const droplets = graph.ofType("digitalocean:index/droplet:Droplet");
    expect(droplets).toHaveLength(3);
    expect(new Set(droplets.map((d) => graph.environmentOf(d))).size).toBe(3);
  });

  it("each have a database of their own on the dev cluster, initialised with demo data before Odoo starts", async () => {
    const graph = await run(previews());
    const clusters = graph.ofType("digitalocean:index/databaseCluster:DatabaseCluster");
    expect(clusters).toHaveLength(1);
    const dbs = graph.ofType("digitalocean:index/databaseDb:DatabaseDb").map((d) => d.inputs.name);
    expect(dbs.sort()).toEqual(["acme_feature__cart", "acme_feature__login", "acme_feature__search"]);
    const init = graph.named("acme-feature--login-init-command");
    const script = String(init.inputs.create);
    expect(script).toContain("-d acme_feature__login -i base");
    expect(script).not.toContain("without-demo");
    expect(graph.prerequisites(graph.named("acme-feature--login-odoo-container"))).toContain(init.urn);
  });

  it("skip demo data when demoData is false, and ask for it from Odoo 19 on", async () => {
    const noDemo = await run(previews("{ placement: shared, demoData: false }"));
    expect(String(noDemo.named("acme-feature--login-init-command").inputs.create)).toContain(
      "--without-demo=all",
    );
    const odoo19 = await run(previews(undefined, 'odoo: { version: "19.0" }\n'));
    expect(String(odoo19.named("acme-feature--login-init-command").inputs.create)).toContain("--with-demo");
  });

  it("each catch their mail in their own Mailpit, reachable on their own host name", async () => {
    const graph = await run(previews());
    const mailpits = graph
      .ofType("docker:index/container:Container")
      .filter((c) => c.inputs.image === PLATFORM_IMAGES.mailpit);
    expect(mailpits.map((m) => m.inputs.name).sort()).toEqual([
      "mailpit-feature--cart",
      "mailpit-feature--login",
      "mailpit-feature--search",
    ]);
    const conf = String(input(graph.named("acme-feature--cart-odoo-container"), "uploads[0].content"));
    expect(conf).toMatch(/^smtp_server = mailpit-feature--cart$/m);
    const caddyfile = String(input(graph.named("acme-dev-shared-proxy-container"), "uploads[0].content"));
    for (const slug of ["feature--login", "feature--cart", "feature--search"]) {
      expect(caddyfile).toContain(`${slug}.acme.dev.odooops.example {`);
      expect(caddyfile).toContain(`reverse_proxy mailpit-${slug}:8025`);
    }
    const records = graph.ofType("digitalocean:index/dnsRecord:DnsRecord").map((r) => r.inputs.name);
    expect(records.sort()).toEqual([
      "feature--cart.acme.dev",
      "feature--login.acme.dev",
      "feature--search.acme.dev",
    ]);
  });

  it("are tagged with project, stage, branch and expiry; the shared host lives as long as its last preview", async () => {
    const graph = await run(previews("{ placement: dedicated }"));
    const login = graph.named("acme-feature--login-host-droplet");
    expect(login.inputs.tags).toEqual(
      expect.arrayContaining([
        "odooops:project:acme",
        "odooops:stage:development",
        "odooops:branch:feature--login",
        "odooops:expires:2026-11-27",
      ]),
    );
    const shared = await run(previews("{ placement: shared }", "keep: [feature/cart]\n"));
    expect(shared.ofType("digitalocean:index/droplet:Droplet")[0]!.inputs.tags).toEqual(
      expect.arrayContaining(["odooops:branch:_shared", "odooops:expires:never"]),
    );
  });

  it("sit behind a firewall that blocks SMTP egress, and a dev cluster that admits only their hosts", async () => {
    const graph = await run(previews("{ placement: dedicated }"));
    const [firewall] = graph.ofType("digitalocean:index/firewall:Firewall");
    const outbound = (
      firewall!.inputs.outboundRules as {
        protocol: "tcp";
        portRange?: string;
        destinationAddresses: string[];
      }[]
    ).map((r) => ({ protocol: r.protocol, portRange: r.portRange, addresses: r.destinationAddresses }));
    for (const port of SMTP_PORTS) expect(allowsPort(outbound, "tcp", port)).toBe(false);
    const [dbFirewall] = graph.ofType("digitalocean:index/databaseFirewall:DatabaseFirewall");
    expect(dbFirewall!.inputs.rules).toHaveLength(3);
    for (const droplet of graph.ofType("digitalocean:index/droplet:Droplet"))
      expect(dbFirewall!.options.dependencies).toContain(droplet.urn);
  });
});
