import { describe, expect, it } from "vitest";
import type { CapturedResource } from "../../cli/commands/plan/capture.ts";
import {
  databaseFirewallAdmitsOnlyEnvironmentHost,
  prodDataSanitizedBeforeOdooStarts,
  productionBackupRetention,
  productionDatabaseProtected,
  stagingDataMasked,
  stagingDataNeutralized,
} from "../../policies/data-protection.ts";
import { check, lineOf, mutate, PROJECT_FILE, projectResources, resource, SAFE_PROJECT } from "./harness.ts";

const CLONE = "clone: { strategy: dump, mask: default, neutralize: true }";

describe("staging-data-masked", () => {
  it("passes a masked staging clone", async () => {
    expect(await check(stagingDataMasked, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it("refuses mask: none, pointing at the field", async () => {
    const yaml = mutate(SAFE_PROJECT, CLONE, CLONE.replace("mask: default", "mask: none"));
    const [v, ...rest] = await check(stagingDataMasked, projectResources(yaml));
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ level: "mandatory", project: "shop" });
    expect(v!.where).toMatch(
      new RegExp(`^${PROJECT_FILE}:${lineOf(yaml, CLONE.slice(0, 6))}:\\d+ environments.staging.clone.mask$`),
    );
  });

  it("is the staging stack's concern only", async () => {
    const yaml = mutate(SAFE_PROJECT, CLONE, CLONE.replace("mask: default", "mask: none"));
    expect(await check(stagingDataMasked, projectResources(yaml, ["production"]))).toEqual([]);
  });
});

describe("staging-data-neutralized", () => {
  it("passes a neutralized staging clone", async () => {
    expect(await check(stagingDataNeutralized, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it("refuses neutralize: false", async () => {
    const yaml = mutate(SAFE_PROJECT, CLONE, CLONE.replace("neutralize: true", "neutralize: false"));
    const violations = await check(stagingDataNeutralized, projectResources(yaml));
    expect(violations.map((v) => v.where?.split(" ")[1])).toEqual(["environments.staging.clone.neutralize"]);
  });
});

/** A staging environment whose Odoo container waits for the steps it is given. */
function stagingWith(odooDependsOn: (steps: Record<string, CapturedResource>) => CapturedResource[]) {
  const [project, ...envs] = projectResources(SAFE_PROJECT);
  const env = envs.find((e) => (e.inputs.plan as { stage: string }).stage === "staging")!;
  const cmd = (name: string, create: string, dependsOn: CapturedResource[] = []) =>
    resource("command:remote:Command", name, { create }, { parent: env, dependsOn });
  const clone = cmd(
    "clone",
    "docker exec odooops-agent odooops agent clone --source-url-env SRC --target-db shop_b1",
  );
  const neutralize = cmd(
    "neutralize",
    "docker exec odooops-agent odooops agent neutralize --db-url-env URL",
    [clone],
  );
  const mask = cmd(
    "mask",
    "docker exec odooops-agent odooops agent mask --db-url-env URL --profile default",
    [neutralize],
  );
  const steps = { clone, neutralize, mask };
  const odoo = resource(
    "docker:index/container:Container",
    "odoo",
    { name: "odoo-release--1-0", uploads: [{ file: "/etc/odoo/odoo.conf", content: "[options]\n" }] },
    { parent: env, dependsOn: odooDependsOn(steps) },
  );
  return [project!, env, clone, neutralize, mask, odoo];
}

describe("prod-data-sanitized-before-odoo-starts", () => {
  it("passes Odoo that waits for masking, which waits for neutralization", async () => {
    expect(
      await check(
        prodDataSanitizedBeforeOdooStarts,
        stagingWith((s) => [s.mask!]),
      ),
    ).toEqual([]);
  });

  it("follows a dependency on a component to the steps inside it", async () => {
    const resources = stagingWith(() => []);
    const [project, env, clone, neutralize, mask, odoo] = resources;
    const group = resource("odooops:clone:StagingClone", "clone-steps", {}, { parent: env });
    for (const step of [clone!, neutralize!, mask!]) step.parent = group.urn;
    odoo!.options.dependencies = [group.urn];
    expect(
      await check(prodDataSanitizedBeforeOdooStarts, [
        project!,
        env!,
        group,
        clone!,
        neutralize!,
        mask!,
        odoo!,
      ]),
    ).toEqual([]);
  });

  it.each([
    ["nothing", () => [], "neutralize and mask"],
    ["only the clone", (s: Record<string, CapturedResource>) => [s.clone!], "neutralize and mask"],
  ])("refuses Odoo that waits for %s", async (_, deps, missing) => {
    const [v, ...rest] = await check(prodDataSanitizedBeforeOdooStarts, stagingWith(deps));
    expect(rest).toEqual([]);
    expect(v!.message).toContain(`without waiting for ${missing}`);
  });

  it("refuses Odoo that waits for masking of a copy nobody neutralized", async () => {
    const resources = stagingWith((s) => [s.mask!]);
    resources[4]!.options.dependencies = []; // mask no longer waits for neutralize
    const [v] = await check(prodDataSanitizedBeforeOdooStarts, resources);
    expect(v!.message).toContain("without waiting for neutralize");
  });
});

function productionCluster(
  options: { protect?: boolean; deleteBeforeReplace?: boolean },
  stage = "production",
) {
  const [project, ...envs] = projectResources(SAFE_PROJECT);
  const env = envs.find((e) => (e.inputs.plan as { stage: string }).stage === stage)!;
  const cluster = resource(
    "digitalocean:index/databaseCluster:DatabaseCluster",
    `shop-${stage}-db`,
    { engine: "pg", size: "db-s-1vcpu-2gb", nodeCount: 1, region: "sgp1" },
    { parent: env, ...options },
  );
  return [project!, env, cluster];
}

describe("production-database-protected", () => {
  it("passes a protected production cluster, and an unprotected staging one", async () => {
    expect(await check(productionDatabaseProtected, productionCluster({ protect: true }))).toEqual([]);
    expect(await check(productionDatabaseProtected, productionCluster({}, "staging"))).toEqual([]);
  });

  it("recognizes a project-wide cluster as production by its stage tag", async () => {
    const cluster = resource("digitalocean:index/databaseCluster:DatabaseCluster", "db", {
      tags: ["odooops:project:shop", "odooops:stage:production"],
    });
    const [v] = await check(productionDatabaseProtected, [cluster]);
    expect(v!.message).toContain("not protected");
  });

  it.each([
    ["unprotected", { protect: false }, "not protected"],
    ["deleted before replacement", { protect: true, deleteBeforeReplace: true }, "deleteBeforeReplace"],
  ])("refuses a production cluster %s", async (_, options, text) => {
    const [v, ...rest] = await check(productionDatabaseProtected, productionCluster(options));
    expect(rest).toEqual([]);
    expect(v!.message).toContain(text);
    expect(v!.environment).toBe("production");
  });
});

describe("production-backup-retention", () => {
  it("passes 7/4/3 and more", async () => {
    expect(await check(productionBackupRetention, projectResources(SAFE_PROJECT))).toEqual([]);
    const more = mutate(SAFE_PROJECT, "daily: 7, weekly: 4, monthly: 3", "daily: 30, weekly: 8, monthly: 12");
    expect(await check(productionBackupRetention, projectResources(more))).toEqual([]);
  });

  it.each([
    ["daily: 3, weekly: 4, monthly: 3", ["retention.daily"]],
    ["daily: 7, weekly: 0, monthly: 3", ["retention.weekly"]],
    ["daily: 1, weekly: 1, monthly: 1", ["retention.daily", "retention.weekly", "retention.monthly"]],
  ])("refuses %s", async (retention, fields) => {
    const yaml = mutate(SAFE_PROJECT, "daily: 7, weekly: 4, monthly: 3", retention);
    const violations = await check(productionBackupRetention, projectResources(yaml));
    expect(violations.map((v) => v.where?.split(" ")[1])).toEqual(fields);
    expect(
      violations.every((v) => v.where?.startsWith(`${PROJECT_FILE}:${lineOf(yaml, "retention:")}:`)),
    ).toBe(true);
  });

  const withSchedule = (schedule: string) =>
    mutate(SAFE_PROJECT, "retention: {", `backup: { schedule: "${schedule}" }\nretention: {`);

  it.each(["0 2 * * *", "0 */6 * * *", "0 23 * * *", "*/15 * * * *"])(
    "passes a backup schedule run at least daily: %s",
    async (schedule) => {
      expect(await check(productionBackupRetention, projectResources(withSchedule(schedule)))).toEqual([]);
    },
  );

  it.each([
    ["0 2 * * 1-5", "3 days"],
    ["0 2 * * 0", "7 days"],
    ["0 2 1 * *", "31 days"],
    ["30 1 */2 * *", "2 days"],
    ["0 2 29 2 *", "1461 days"],
  ])("refuses a backup schedule less often than daily: %s", async (schedule, gap) => {
    const yaml = withSchedule(schedule);
    const [v, ...rest] = await check(productionBackupRetention, projectResources(yaml));
    expect(rest).toEqual([]);
    expect(v!.where).toBe(`${PROJECT_FILE}:${lineOf(yaml, "backup:")}:21 backup.schedule`);
    expect(v!.message).toContain(`leaves up to ${gap} between backups`);
    expect(v!.message).toContain("the 7 daily backup(s)");
  });

  it("is checked by the stack that owns production", async () => {
    const yaml = mutate(SAFE_PROJECT, "daily: 7", "daily: 1");
    expect(
      await check(productionBackupRetention, projectResources(yaml, ["staging", "development"])),
    ).toEqual([]);
  });
});

interface Hosts {
  own: CapturedResource;
  other: CapturedResource;
}
type Admission = (hosts: Hosts) => {
  rules: { type: string; value: string }[];
  dependsOn: CapturedResource[];
};

/** Two environments, each with a host; the staging database firewall admits what `admit` says. */
function databaseFirewall(admit: Admission) {
  const [project, ...envs] = projectResources(SAFE_PROJECT);
  const staging = envs.find((e) => (e.inputs.plan as { stage: string }).stage === "staging")!;
  const dev = envs.find((e) => (e.inputs.plan as { stage: string }).stage === "development")!;
  const droplet = (env: CapturedResource, name: string) =>
    resource("digitalocean:index/droplet:Droplet", name, { tags: [] }, { parent: env });
  const own = droplet(staging, "staging-host");
  const other = droplet(dev, "dev-host");
  const { rules, dependsOn } = admit({ own, other });
  const firewall = resource(
    "digitalocean:index/databaseFirewall:DatabaseFirewall",
    "staging-db-firewall",
    { clusterId: "c", rules },
    { parent: staging, dependsOn },
  );
  return [project!, staging, dev, own, other, firewall];
}

describe("database-firewall-admits-only-environment-host", () => {
  it("passes a firewall admitting its environment's droplet", async () => {
    const resources = databaseFirewall(({ own }) => ({
      rules: [{ type: "droplet", value: "1" }],
      dependsOn: [own],
    }));
    expect(await check(databaseFirewallAdmitsOnlyEnvironmentHost, resources)).toEqual([]);
  });

  const droplet = (value: string) => ({ type: "droplet", value });
  it.each<[string, Admission, string]>([
    [
      "an IP range",
      ({ own }) => ({ rules: [droplet("1"), { type: "ip_addr", value: "0.0.0.0/0" }], dependsOn: [own] }),
      "ip_addr",
    ],
    [
      "another environment's host",
      ({ own, other }) => ({ rules: [droplet("1"), droplet("2")], dependsOn: [own, other] }),
      "dev-host",
    ],
    [
      "a droplet id nobody here created",
      () => ({ rules: [droplet("424242")], dependsOn: [] }),
      "does not create",
    ],
    [
      "a tag",
      ({ own }) => ({ rules: [{ type: "tag", value: "odooops:stage:staging" }], dependsOn: [own] }),
      "by tag",
    ],
  ])("refuses a firewall admitting %s", async (_, admit, text) => {
    const [v, ...rest] = await check(databaseFirewallAdmitsOnlyEnvironmentHost, databaseFirewall(admit));
    expect(rest).toEqual([]);
    expect(v!.message).toContain(text);
  });
});
