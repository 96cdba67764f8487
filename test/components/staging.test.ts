import { describe, expect, it } from "vitest";
import { prodStackOutputs } from "../../cli/commands/plan/mock-outputs.ts";
import { parseProject } from "../../model/input/loader.ts";
import { planPlatform } from "../../model/plan/environment-plan.ts";
import { allowsPort, type FirewallRule, SMTP_PORTS } from "../../model/plan/firewall-rules.ts";
import { PLATFORM_IMAGES } from "../../model/plan/platform-images.ts";
import { catalog, input, PROD_STACK, plan, projectYaml, run, STACKS } from "./support.ts";

const STAGING = (clone: string, extra = "") =>
  `  staging: { clone: ${clone}, sshSources: [192.0.2.0/24]${extra} }\n`;
const build = (id: string, clone = "{ strategy: dump }") =>
  plan(projectYaml("acme", STAGING(clone)), catalog("acme", [["release/v2", id]]), "staging");

const byName = (graph: Awaited<ReturnType<typeof run>>, suffix: string) =>
  graph.resources.find((r) => r.name.endsWith(suffix))!;

describe("a staging build", () => {
  it("gets a database named after its build, created fresh and dropped when the next build replaces it", async () => {
    const first = await run(build("b-41"));
    const second = await run(build("b-42"));
    const fresh = (g: typeof first) => byName(g, "-clone-fresh-database");
    expect(fresh(first).inputs.create).toContain('CREATE DATABASE "acme_release__v2_b_41"');
    expect(fresh(first).inputs.delete).toContain(
      'DROP DATABASE IF EXISTS "acme_release__v2_b_41" WITH (FORCE)',
    );
    expect(fresh(second).inputs.create).toContain('CREATE DATABASE "acme_release__v2_b_42"');
    // A new trigger value replaces the step: the new database is created, then the old one dropped.
    expect(fresh(second).inputs.triggers).not.toEqual(fresh(first).inputs.triggers);
    expect(byName(second, "-clone-prepare").inputs.triggers).toContain("b-42");
  });

  it("clones masked in flight and neutralized, all before Odoo starts", async () => {
    const graph = await run(build("b-41"));
    const prepare = byName(graph, "-clone-prepare");
    const script = String(prepare.inputs.create);
    const clone = script.split("\n").find((l) => l.startsWith("odooops agent clone"));
    expect(clone).toMatch(/ --stage staging --neutralize --base-url \S+ --mailpit-host \S+ /);
    expect(clone).toMatch(/ --mask default /);
    // Odoo's own neutralize with the build's image when the host has it, then the platform's steps.
    const lines = script.split("\n").map((l) => l.trim());
    const odooNeutralize = lines.findIndex((l) =>
      / odooops-neutralize \S+ acme_release__v2_b_41; fi$/.test(l),
    );
    expect(odooNeutralize).toBeGreaterThan(lines.indexOf(clone!));
    expect(lines[odooNeutralize + 1]).toMatch(/^odooops agent neutralize --db-url-env ODOOOPS_DB_URL /);
    expect(script).toContain("--target-db acme_release__v2_b_41");
    const odoo = byName(graph, "-odoo-container");
    expect(graph.prerequisites(odoo)).toContain(prepare.urn);
    expect(graph.prerequisites(prepare)).toContain(byName(graph, "-clone-fresh-database").urn);
    expect(graph.prerequisites(prepare)).toContain(byName(graph, "-agent-container").urn);
  });

  it("neutralizes towards its own Mailpit, and Odoo's SMTP points there too", async () => {
    const graph = await run(build("b-41"));
    const mailpit = byName(graph, "-mailpit-container");
    expect(mailpit.inputs.image).toBe(PLATFORM_IMAGES.mailpit);
    const server = String(mailpit.inputs.name);
    expect(String(byName(graph, "-clone-prepare").inputs.create)).toContain(
      `--mailpit-host ${server} --mailpit-port 1025`,
    );
    const conf = String(input(byName(graph, "-odoo-container"), "uploads[0].content"));
    expect(conf).toMatch(new RegExp(`^smtp_server = ${server}$`, "m"));
    expect(conf).toMatch(/^smtp_port = 1025$/m);
  });

  it("forks a cluster named after the build from the production cluster the prod stack exports", async () => {
    const outputs = prodStackOutputs([{ name: "acme", region: "sgp1" }], "odooops.example");
    (outputs.production as Record<string, { clusterName: string }>).acme!.clusterName =
      "prod-cluster-from-reference";
    const graph = await run(build("b-41", "{ strategy: fork }"), { stackOutputs: { [PROD_STACK]: outputs } });
    const [fork] = graph.ofType("digitalocean:index/databaseCluster:DatabaseCluster");
    expect(fork!.inputs.name).toBe("odooops-acme-release--v2-b-41");
    expect(fork!.inputs.backupRestore).toEqual({ databaseName: "prod-cluster-from-reference" });
    expect(fork!.options.protect).toBe(false);
    const next = await run(build("b-42", "{ strategy: fork }"), { stackOutputs: { [PROD_STACK]: outputs } });
    expect(next.ofType("digitalocean:index/databaseCluster:DatabaseCluster")[0]!.inputs.name).toBe(
      "odooops-acme-release--v2-b-42",
    );
    const script = String(byName(graph, "-clone-prepare").inputs.create);
    expect(script).not.toContain("agent clone");
    expect(script).toContain("agent neutralize");
    const [firewall] = graph.ofType("digitalocean:index/databaseFirewall:DatabaseFirewall");
    expect(firewall!.inputs.rules).toHaveLength(1);
    expect(graph.prerequisites(byName(graph, "-odoo-container"))).toContain(
      byName(graph, "-clone-prepare").urn,
    );
  });

  it("reads production's newest backup with the read-only key from the prod stack, as secrets", async () => {
    const graph = await run(build("b-41"));
    const prepare = byName(graph, "-clone-prepare");
    expect(prepare.secretPaths).toContain("environment");
    expect(prepare.inputs.environment).toMatchObject({
      ODOOOPS_CLONE_SOURCE_URL: expect.stringMatching(
        /^s3:\/\/odooops-acme-backups-[0-9a-f]{6}\/acme\/production\/$/,
      ),
      AWS_ACCESS_KEY_ID: expect.stringMatching(/^MOCKREADER/),
    });
  });

  it("leaves a masking step out only when the project asks for none (which a policy and the agent refuse)", async () => {
    const graph = await run(build("b-41", "{ strategy: dump, mask: none, neutralize: false }"));
    const script = String(byName(graph, "-clone-prepare").inputs.create);
    expect(script).not.toMatch(/\bmask\b/);
    expect(script).not.toMatch(/\bneutralize\b/);
  });

  it("blocks SMTP egress and admits SSH only from the project's and the deployer's CIDRs", async () => {
    const graph = await run(build("b-41"));
    const firewall = graph
      .ofType("digitalocean:index/firewall:Firewall")
      .find((f) => f.name.includes("-staging-"))!;
    const toRules = (list: unknown) =>
      (
        list as {
          protocol: string;
          portRange?: string;
          sourceAddresses?: string[];
          destinationAddresses?: string[];
        }[]
      ).map(
        (r): FirewallRule => ({
          protocol: r.protocol as FirewallRule["protocol"],
          portRange: r.portRange,
          addresses: r.sourceAddresses ?? r.destinationAddresses ?? [],
        }),
      );
    const outbound = toRules(firewall.inputs.outboundRules);
    for (const port of SMTP_PORTS) expect(allowsPort(outbound, "tcp", port), `port ${port}`).toBe(false);
    for (const port of [53, 80, 443, 5432, 25060])
      expect(allowsPort(outbound, "tcp", port), `port ${port}`).toBe(true);
    const ssh = toRules(firewall.inputs.inboundRules).filter((r) => allowsPort([r], "tcp", 22));
    expect(ssh.flatMap((r) => r.addresses).sort()).toEqual(["192.0.2.0/24", "198.51.100.10/32"]);
    const [droplet] = graph.ofType("digitalocean:index/droplet:Droplet");
    expect(droplet!.inputs.tags).toEqual(expect.arrayContaining((firewall.inputs.tags as string[]) ?? []));
  });

  it("reads each project's production from its own prod stack when prod is sharded", async () => {
    const projects = ["acme", "beta"].map((name) => {
      const { loaded } = parseProject(
        `projects/${name}.yaml`,
        projectYaml(name, STAGING("{ strategy: fork }")),
      );
      return loaded!;
    });
    const live = catalog("acme", [["release/v2", "b-1"]]);
    live.projects.beta = catalog("beta", [["release/v2", "b-2"]]).projects.beta!;
    const sharded = { ...STACKS.staging, prodStack: "acme/odooops/prod-{project}" };
    const outputs = (project: string) => ({
      production: { [project]: { clusterName: `cluster-of-${project}`, databaseName: project } },
      backupReaders: {},
    });
    const graph = await run(planPlatform(projects, live, sharded), {
      stackOutputs: { "acme/odooops/prod-acme": outputs("acme"), "acme/odooops/prod-beta": outputs("beta") },
    });
    const restores = graph
      .ofType("digitalocean:index/databaseCluster:DatabaseCluster")
      .map((c) => (c.inputs.backupRestore as { databaseName: string }).databaseName);
    expect(restores.sort()).toEqual(["cluster-of-acme", "cluster-of-beta"]);
  });
});

describe("a staging build's smoke tests", () => {
  it("run after its Odoo container, against the build's database and image, again for every build", async () => {
    const graph = await run(build("b-41"));
    const smoke = byName(graph, "-smoke-command");
    const script = String(smoke.inputs.create);
    expect(script).toContain("--db acme_release__v2_b_41");
    expect(script).toContain("--one-time-login-db-url-env ODOOOPS_DB_URL");
    expect(smoke.inputs.triggers).toContain("b-41");
    expect(graph.prerequisites(smoke)).toContain(byName(graph, "-odoo-container").urn);
    expect(smoke.secretPaths).toEqual(expect.arrayContaining(["connection", "environment"]));
    const next = await run(build("b-42"));
    expect(byName(next, "-smoke-command").inputs.triggers).toContain("b-42");
  });

  it("are a staging step only: production and previews have none", async () => {
    const yaml = projectYaml("acme", STAGING("{ strategy: dump }"));
    const live = catalog("acme", [
      ["release/v2", "b-41"],
      ["feature/login", "b-43"],
    ]);
    const smokes = (graph: Awaited<ReturnType<typeof run>>) =>
      graph.resources.filter((r) => r.name.endsWith("-smoke-command")).map((r) => String(r.inputs.create));
    const staging = smokes(await run(plan(yaml, live, "staging")));
    expect(staging).toHaveLength(1);
    expect(staging[0]).toContain("(build b-41)");
    expect(smokes(await run(plan(yaml, live, "prod")))).toEqual([]);
  });
});
