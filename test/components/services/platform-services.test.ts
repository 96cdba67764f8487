import { describe, expect, it } from "vitest";
import { captureProgram } from "../../../cli/commands/plan/capture.ts";
import { PlatformServices } from "../../../components/services/platform-services.ts";
import { retentionHorizonDays } from "../../../model/data/backup-lifecycle.ts";
import { RETENTION_MINIMUM } from "../../../model/data/retention.ts";
import { stackCost } from "../../../model/plan/cost.ts";
import { planPlatform } from "../../../model/plan/environment-plan.ts";
import { SERVICE_NAMES, SERVICES } from "../../../model/plan/services/catalog.ts";
import { servicesPlan } from "../../../model/plan/services/plan.ts";
import { platformServicesPinned } from "../../../policies/services.ts";
import { catalog, DIGEST, Graph, input, plan, projectYaml, run, STACKS } from "../../components/support.ts";
import { check } from "../../policies/harness.ts";

const withServices = (stack: "prod" | "staging") => {
  const p = plan(projectYaml("acme"), catalog("acme", []), stack);
  return { ...p, settings: { ...p.settings, platformServices: true } };
};

describe("platform services on the prod stack", () => {
  it("plans the host, a protected cluster with a database per service, DNS and a backup bucket with Odoo's retention", async () => {
    const graph = await run(withServices("prod"));
    const names = graph.resources.map((r) => r.name);
    expect(names).toContain("odooops-services-host-droplet");
    const [cluster] = graph
      .ofType("digitalocean:index/databaseCluster:DatabaseCluster")
      .filter((c) => c.name.startsWith("odooops-services"));
    expect(cluster!.options.protect).toBe(true);
    const dbs = graph
      .ofType("digitalocean:index/databaseDb:DatabaseDb")
      .filter((d) => d.name.startsWith("odooops-services"));
    expect(dbs.map((d) => input(d, "name")).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(dbs.every((d) => d.options.protect)).toBe(true);
    const records = graph
      .ofType("digitalocean:index/dnsRecord:DnsRecord")
      .filter((r) => r.name.startsWith("odooops-services"));
    expect(records.map((r) => input(r, "name")).sort()).toEqual(["bi", "chat", "id", "n8n"]);
    const bucket = graph.named("odooops-services-backup-bucket");
    expect(bucket.options.protect).toBe(true);
    expect(input(bucket, "lifecycleRules[0].expiration.days")).toBe(
      retentionHorizonDays(RETENTION_MINIMUM) + 31,
    );
    expect(input(bucket, "lifecycleRules[0].prefix")).toBe("services/");
    // No digest could be verified here: no service container, and the plan says so (advisory).
    expect(graph.ofType("docker:index/container:Container").map((c) => c.name)).not.toContain(
      "odooops-services-keycloak-container",
    );
    const advisories = await check(platformServicesPinned, graph.resources);
    expect(advisories.map((v) => v.message)).toHaveLength(SERVICE_NAMES.length);
    expect(advisories[0]!.message).toContain(`image ${SERVICES.keycloak.image} is unpinned`);
  });

  it("the staging stack never gets them", async () => {
    const graph = await run(withServices("staging"));
    expect(graph.resources.filter((r) => r.name.startsWith("odooops-services"))).toEqual([]);
  });

  it("a pinned service runs its container behind the proxy, its database credentials only in a secret", async () => {
    const images = {
      ...SERVICES,
      keycloak: { ...SERVICES.keycloak, digest: DIGEST(7) },
      n8n: { ...SERVICES.n8n, digest: DIGEST(8) },
    };
    const resources = await captureProgram("odooops", "prod", () => {
      new PlatformServices("svc", servicesPlan("odooops.example", images), {
        platformDomain: "odooops.example",
        region: "sgp1",
        deploySources: ["198.51.100.10/32"],
        access: { sshKeyIds: [], deployKey: "k" },
      });
    });
    const graph = new Graph(resources);
    const container = graph.named("svc-keycloak-container");
    expect(input(graph.named("svc-keycloak-image"), "name")).toBe(`${SERVICES.keycloak.image}@${DIGEST(7)}`);
    expect(container.secretPaths.some((p) => p.startsWith("envs"))).toBe(true);
    const caddyfile = String(input(graph.named("svc-proxy-container"), "uploads[0].content"));
    expect(caddyfile).toContain("id.odooops.example {");
    expect(caddyfile).toContain("reverse_proxy odooops-keycloak:8080");
    expect(caddyfile).not.toContain("chat.odooops.example");
    expect(await check(platformServicesPinned, resources)).toHaveLength(SERVICE_NAMES.length - 2);
    // n8n gets the repository's workflows and imports them, again whenever one changes.
    const uploads = input(graph.named("svc-n8n-container"), "uploads") as { file: string }[];
    expect(uploads.map((u) => u.file)).toEqual([
      "/home/node/odooops-workflows/health-checks.json",
      "/home/node/odooops-workflows/log-aggregation.json",
      "/home/node/odooops-workflows/nightly-backup-verification.json",
    ]);
    expect(input(graph.named("svc-n8n-workflows-command"), "create")).toBe(
      "docker exec odooops-n8n n8n import:workflow --separate --input=/home/node/odooops-workflows",
    );
  });

  it("costs: the host, its volume and the cluster appear as stack lines of the prod stack only", () => {
    const [project] = [plan(projectYaml("acme"), catalog("acme", []), "prod").projects[0]!];
    const prod = planPlatform([], catalog("acme", []), { ...STACKS.prod, platformServices: true });
    const lines = stackCost({ ...prod, projects: [project] }).shared.map((l) => l.item);
    expect(lines).toContain("platform services host droplet s-4vcpu-8gb");
    expect(lines).toContain("platform services database db-s-1vcpu-2gb");
    const staging = stackCost({
      ...planPlatform([], catalog("acme", []), { ...STACKS.staging, platformServices: true }),
    });
    expect(staging.shared).toEqual([]);
  });
});

it("no project may be called services: its network and cluster would be the platform services'", () => {
  expect(() => plan(projectYaml("services"), catalog("services", []), "prod")).toThrow(
    /reserved for the platform services/,
  );
});
