import { beforeAll, describe, expect, it } from "vitest";
import { type CapturedResource, captureProgram } from "../../cli/plan/capture.ts";
import { evaluatePolicies } from "../../cli/plan/evaluate.ts";
import { prodStackOutputs } from "../../cli/plan/mock-outputs.ts";
import type { Violation } from "../../cli/plan/report.ts";
import { Platform } from "../../components/platform.ts";
import { loadCatalogFile } from "../../model/catalog-loader.ts";
import { planPlatform } from "../../model/environment-plan.ts";
import { loadProjects } from "../../model/loader.ts";
import { readStackFile } from "../../model/stack-file.ts";

/**
 * The stack policies against what the real program creates for the full example (acme-erp): the
 * unmodified resources pass, and one change to a real resource is refused. This is what keeps the rules
 * and the components agreeing on resource types, input names and relations.
 */
const NOW = new Date("2026-11-23T12:00:00Z");

async function capture(stack: "staging" | "prod"): Promise<CapturedResource[]> {
  const settings = readStackFile(".", stack).settings!;
  const loaded = loadProjects(["examples/projects/acme-erp.yaml"], {
    platformDomain: settings.platformDomain,
  });
  const catalog = loadCatalogFile("examples/catalog.example.json").catalog!;
  const plan = planPlatform(loaded.projects, catalog, settings);
  const stackOutputs = settings.prodStack
    ? {
        [settings.prodStack]: prodStackOutputs(
          [{ name: "acme-erp", region: "sgp1" }],
          settings.platformDomain,
        ),
      }
    : {};
  return captureProgram("odooops", stack, () => new Platform("odooops", plan), { stackOutputs });
}

const mandatory = async (resources: CapturedResource[]): Promise<Violation[]> =>
  (await evaluatePolicies("test", resources, { now: NOW })).filter((v) => v.level === "mandatory");

/** A deep copy of the captured stack with one resource changed. */
function changed(
  resources: CapturedResource[],
  pick: (r: CapturedResource) => boolean,
  edit: (r: CapturedResource) => void,
) {
  const copy = structuredClone(resources);
  const target = copy.find(pick);
  if (!target) throw new Error("no such resource in the program's output");
  edit(target);
  return copy;
}

const STAGING_ENV = "release-2026-12-8d440c18";
const isType = (type: string, name: RegExp) => (r: CapturedResource) => r.type === type && name.test(r.name);

let staging: CapturedResource[];
let prod: CapturedResource[];
beforeAll(async () => {
  staging = await capture("staging");
  prod = await capture("prod");
});

describe("the pack on the program's own resources", () => {
  it("finds nothing mandatory in the full example", async () => {
    expect(await mandatory(staging)).toEqual([]);
    expect(await mandatory(prod)).toEqual([]);
  });

  it("refuses a staging Odoo that no longer waits for the neutralize and mask step", async () => {
    const odoo = isType("docker:index/container:Container", new RegExp(`${STAGING_ENV}-odoo-container$`));
    const stack = changed(staging, odoo, (r) => {
      r.options.dependencies = [];
    });
    const policies = (await mandatory(stack)).map((v) => [v.policy, v.environment]);
    expect(policies).toContainEqual(["prod-data-sanitized-before-odoo-starts", STAGING_ENV]);
  });

  it("refuses a staging Odoo whose odoo.conf points at a real mail relay", async () => {
    const odoo = isType("docker:index/container:Container", new RegExp(`${STAGING_ENV}-odoo-container$`));
    const stack = changed(staging, odoo, (r) => {
      const uploads = r.inputs.uploads as { file: string; content: string }[];
      for (const u of uploads)
        u.content = u.content.replace(/^smtp_server = .*$/m, "smtp_server = smtp.gmail.com");
    });
    const [v] = (await mandatory(stack)).filter((x) => x.policy === "non-production-mailpit-deployed");
    expect(v!.message).toContain("sends mail to smtp.gmail.com");
  });

  it("refuses a staging firewall that opens SMTP egress", async () => {
    const stack = changed(staging, isType("digitalocean:index/firewall:Firewall", /staging/), (r) => {
      (r.inputs.outboundRules as unknown[]).push({
        protocol: "tcp",
        portRange: "25",
        destinationAddresses: ["0.0.0.0/0"],
      });
    });
    expect((await mandatory(stack)).map((v) => v.policy)).toEqual(["non-production-firewall-blocks-smtp"]);
  });

  it("refuses a staging database firewall that also admits the shared dev host", async () => {
    const devHost = staging.find(isType("digitalocean:index/droplet:Droplet", /dev/))!;
    const stack = changed(
      staging,
      isType("digitalocean:index/databaseFirewall:DatabaseFirewall", /staging/),
      (r) => {
        r.options.dependencies.push(devHost.urn);
      },
    );
    const policies = (await mandatory(stack)).map((v) => v.policy);
    expect(policies).toEqual(["database-firewall-admits-only-environment-host"]);
  });

  it("refuses an unprotected production database cluster", async () => {
    const stack = changed(
      prod,
      isType("digitalocean:index/databaseCluster:DatabaseCluster", /production/),
      (r) => {
        r.options.protect = false;
      },
    );
    expect((await mandatory(stack)).map((v) => [v.policy, v.environment])).toEqual([
      ["production-database-protected", "production"],
    ]);
  });

  it("refuses a production ruleset that drops a G1 check", async () => {
    const stack = changed(
      prod,
      isType("github:index/repositoryRuleset:RepositoryRuleset", /production/),
      (r) => {
        const rules = r.inputs.rules as { requiredStatusChecks: { requiredChecks: { context: string }[] } };
        rules.requiredStatusChecks.requiredChecks = rules.requiredStatusChecks.requiredChecks.slice(1);
      },
    );
    const [v] = await mandatory(stack);
    expect(v).toMatchObject({ policy: "production-branch-required-checks", project: "acme-erp" });
    expect(v!.message).toContain("does not require odooops/build");
  });
});
