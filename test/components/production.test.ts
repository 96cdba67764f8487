import { describe, expect, it } from "vitest";
import { allowsPort, type FirewallRule, SMTP_PORTS } from "../../model/plan/firewall-rules.ts";
import { productionIdentity } from "../../model/plan/production-identity.ts";
import { REPLACE_ON_CHANGE, replacingChanges } from "../../model/plan/replacement-facts.ts";
import { catalog, DIGEST, input, plan, run } from "./support.ts";

const PROD = `  production:
    image: ghcr.io/acme/acme@${DIGEST(1)}
    size: s-4vcpu-8gb
    workers: 6
    database: { size: db-s-2vcpu-4gb, nodes: 2 }
    maintenance: { day: saturday, hour: "04:00" }
    sshSources: [203.0.113.0/28]
    volumeGb: 100
`;
const yaml = (production = PROD, extra = "") =>
  `name: acme\nrepo: acme/acme\ndomains: [erp.acme.example]\nenvironments:\n${production}${extra}`;
const prodPlan = (text = yaml()) => plan(text, catalog("acme", []), "prod");

const rules = (r: unknown) =>
  (
    r as {
      protocol: string;
      portRange?: string;
      sourceAddresses?: string[];
      destinationAddresses?: string[];
    }[]
  ).map(
    (x): FirewallRule => ({
      protocol: x.protocol as FirewallRule["protocol"],
      portRange: x.portRange,
      addresses: x.sourceAddresses ?? x.destinationAddresses ?? [],
    }),
  );

describe("production", () => {
  it("runs on a protected managed cluster whose replace-on-change inputs are ignored after creation", async () => {
    const graph = await run(prodPlan());
    const [cluster] = graph.ofType("digitalocean:index/databaseCluster:DatabaseCluster");
    expect(cluster!.options.protect).toBe(true);
    for (const key of REPLACE_ON_CHANGE["digitalocean:index/databaseCluster:DatabaseCluster"]!)
      expect(cluster!.options.ignoreChanges).toContain(key);
    expect(cluster!.inputs).toMatchObject({
      name: productionIdentity("acme", "odooops.example", "sgp1").clusterName,
      size: "db-s-2vcpu-4gb",
      nodeCount: 2,
      maintenanceWindows: [{ day: "saturday", hour: "04:00" }],
    });
    for (const type of [
      "databaseDb:DatabaseDb",
      "databaseUser:DatabaseUser",
      "volume:Volume",
      "spacesBucket:SpacesBucket",
    ])
      for (const r of graph.ofType(`digitalocean:index/${type}`))
        expect(r.options.protect, r.name).toBe(true);
  });

  // Every field of the production block and the project that a release manager might edit.
  const EDITS: [string, string][] = [
    ["droplet size", PROD.replace("s-4vcpu-8gb", "s-8vcpu-16gb")],
    ["workers", PROD.replace("workers: 6", "workers: 8")],
    ["database size and nodes", PROD.replace("db-s-2vcpu-4gb, nodes: 2", "db-s-4vcpu-8gb, nodes: 3")],
    ["maintenance window", PROD.replace("saturday", "sunday")],
    ["SSH sources", PROD.replace("203.0.113.0/28", "192.0.2.0/24")],
    ["volume size", PROD.replace("volumeGb: 100", "volumeGb: 200")],
    ["image", PROD.replace(DIGEST(1), DIGEST(2))],
  ];
  const PROJECT_EDITS: [string, string][] = [
    ["bundles", "bundles: [crm_sales]\n"],
    ["Odoo options", "odooOptions: { limit_time_real: 900 }\n"],
    ["retention and backup schedule", 'retention: { daily: 30 }\nbackup: { schedule: "0 1 * * *" }\n'],
  ];
  it.each([
    ...EDITS.map(([what, edited]): [string, string] => [what, yaml(edited)]),
    [
      "custom domains",
      yaml().replace("domains: [erp.acme.example]", "domains: [erp.acme.example, shop.acme.example]"),
    ],
    ...PROJECT_EDITS.map(([what, extra]): [string, string] => [what, yaml(PROD, extra)]),
  ])("replaces no stateful resource when the %s changes", async (_what, edited) => {
    const before = await run(prodPlan());
    const after = await run(prodPlan(edited));
    const changed = after.resources.filter(
      (r) =>
        JSON.stringify(r.inputs) !== JSON.stringify(before.resources.find((x) => x.name === r.name)?.inputs),
    );
    expect(changed.length).toBeGreaterThan(0);
    for (const r of after.resources) {
      const old = before.resources.find((x) => x.name === r.name);
      if (!old) continue; // a new resource (a second custom domain) replaces nothing
      expect(
        replacingChanges(r.type, old.inputs, r.inputs, r.options.ignoreChanges),
        `${r.type} ${r.name}`,
      ).toEqual([]);
    }
  });

  it("does not replace the cluster, its database or the filestore when the project moves region", async () => {
    const before = await run(prodPlan());
    const after = await run(prodPlan(yaml(PROD, "region: fra1\n")));
    for (const type of [
      "databaseCluster:DatabaseCluster",
      "databaseDb:DatabaseDb",
      "databaseUser:DatabaseUser",
      "volume:Volume",
    ])
      for (const r of after.ofType(`digitalocean:index/${type}`)) {
        const old = before.named(r.name);
        expect(replacingChanges(r.type, old.inputs, r.inputs, r.options.ignoreChanges), r.name).toEqual([]);
      }
  });

  it("admits only the production host to its database", async () => {
    const graph = await run(prodPlan());
    const [droplet] = graph.ofType("digitalocean:index/droplet:Droplet");
    const [firewall] = graph.ofType("digitalocean:index/databaseFirewall:DatabaseFirewall");
    expect(firewall!.inputs.rules).toEqual([{ type: "droplet", value: expect.any(String) }]);
    expect(firewall!.options.dependencies).toContain(droplet!.urn);
  });

  it("keeps its address on a reserved IP that DNS and the custom domains point at", async () => {
    const graph = await run(prodPlan());
    const [ip] = graph.ofType("digitalocean:index/reservedIp:ReservedIp");
    const [assignment] = graph.ofType("digitalocean:index/reservedIpAssignment:ReservedIpAssignment");
    expect(assignment!.options.dependencies).toEqual(expect.arrayContaining([ip!.urn]));
    const [record] = graph.ofType("digitalocean:index/dnsRecord:DnsRecord");
    expect(record!.inputs).toMatchObject({ domain: "odooops.example", name: "acme", type: "A" });
    expect(record!.options.dependencies).toContain(ip!.urn);
    const [domain] = graph.ofType("digitalocean:index/domain:Domain");
    expect(domain!.inputs.name).toBe("erp.acme.example");
    expect(domain!.options.dependencies).toContain(ip!.urn);
  });

  it("runs Odoo without Mailpit, with its workers, and serves every production host name", async () => {
    const graph = await run(prodPlan());
    const containers = graph.ofType("docker:index/container:Container");
    expect(containers.map((c) => c.inputs.image).some((i) => String(i).includes("mailpit"))).toBe(false);
    const odoo = containers.find((c) => c.name.endsWith("-odoo-container"))!;
    const conf = String(input(odoo, "uploads[0].content"));
    expect(conf).toMatch(/^workers = 6$/m);
    expect(conf).toMatch(/^list_db = False$/m);
    expect(conf).toMatch(/^proxy_mode = True$/m);
    expect(conf).toMatch(/^dbfilter = \^acme\$$/m);
    expect(conf).not.toMatch(/^smtp_server/m);
    const proxy = containers.find((c) => c.name.endsWith("-proxy-container"))!;
    const caddyfile = String(input(proxy, "uploads[0].content"));
    expect(caddyfile).toContain("acme.odooops.example, erp.acme.example {");
    expect(caddyfile).toContain("reverse_proxy /websocket* odoo-production:8072");
    expect(caddyfile).not.toContain("mailpit");
  });

  it("allows SMTP egress and SSH only from the configured and deployer CIDRs", async () => {
    const graph = await run(prodPlan());
    const [firewall] = graph.ofType("digitalocean:index/firewall:Firewall");
    const inbound = rules(firewall!.inputs.inboundRules);
    expect(
      inbound
        .filter((r) => r.portRange === "22")
        .flatMap((r) => r.addresses)
        .sort(),
    ).toEqual(["198.51.100.10/32", "203.0.113.0/28"]);
    for (const port of SMTP_PORTS)
      expect(allowsPort(rules(firewall!.inputs.outboundRules), "tcp", port)).toBe(true);
  });

  it("backs up on the project's schedule into a versioned bucket with a lifecycle backstop", async () => {
    const graph = await run(
      prodPlan(yaml(PROD, 'backup: { schedule: "15 3 * * *" }\nretention: { monthly: 12 }\n')),
    );
    const agent = graph
      .ofType("docker:index/container:Container")
      .find((c) => c.name.endsWith("-agent-container"))!;
    const command = agent.inputs.command as string[];
    expect(command.slice(command.indexOf("--backup-cron"), command.indexOf("--backup-cron") + 2)).toEqual([
      "--backup-cron",
      "15 3 * * *",
    ]);
    expect(command).toEqual(expect.arrayContaining(["--keep-monthly", "12"]));
    // The agent records backups in the control plane under the environment's branch.
    expect(agent.inputs.envs).toEqual(
      expect.arrayContaining(["ODOOOPS_PROJECT=acme", "ODOOOPS_STAGE=production", "ODOOOPS_BRANCH=main"]),
    );
    const [bucket] = graph.ofType("digitalocean:index/spacesBucket:SpacesBucket");
    expect(bucket!.inputs.versioning).toEqual({ enabled: true });
    const [rule] = bucket!.inputs.lifecycleRules as { expiration: { days: number } }[];
    // Twelve monthly backups reach back a year: the backstop must not expire them earlier.
    expect(rule!.expiration.days).toBeGreaterThan(12 * 31);
  });
});
