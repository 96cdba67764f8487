import { describe, expect, it } from "vitest";
import { OCA_PORTS, type OcaPorts } from "../../model/plan/upgrade/ports.ts";
import {
  bundleModulesAvailable,
  bundleModulesAvailablePolicy,
  bundleModulesVerified,
} from "../../policies/modules.ts";
import { check, lineOf, mutate, PROJECT_FILE, projectResources, SAFE_PROJECT } from "./harness.ts";

/** SAFE_PROJECT on `version` with `bundles`, written as a one-line edit of its repo line. */
const withBundles = (version: string, bundles: string) =>
  mutate(
    SAFE_PROJECT,
    "repo: acme/shop\n",
    `repo: acme/shop\nodoo: { version: "${version}" }\nbundles: ${bundles}\n`,
  );

/** The port data as read, but as if every mirror had been read in 2026: old enough to judge 17.0 and 18.0. */
const READ_IN_2026: OcaPorts = {
  ...OCA_PORTS,
  repos: Object.fromEntries(
    Object.keys(OCA_PORTS.repos).map((repo) => [repo, { newestCommit: "2026-06-01T00:00:00Z" }]),
  ),
};
const availableIn2026 = bundleModulesAvailablePolicy(READ_IN_2026);

describe("bundle-modules-available (mandatory)", () => {
  it("passes every bundle on 16.0, where the OCA branches hold all their modules, and a project without bundles", async () => {
    const yaml = withBundles("16.0", "[finance_ppm, hr_timesheets, crm_sales, inventory]");
    expect(await check(availableIn2026, projectResources(yaml))).toEqual([]);
    expect(await check(bundleModulesAvailable, projectResources(yaml))).toEqual([]);
    expect(await check(availableIn2026, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it("refuses a bundle module its repository's branch does not have, once, at the bundle's line", async () => {
    const yaml = withBundles("17.0", "[crm_sales, finance_ppm]");
    const violations = await check(availableIn2026, projectResources(yaml));
    expect(violations).toHaveLength(1);
    const [v] = violations;
    expect(v!.message).toBe(
      "bundle finance_ppm needs account_budget_oca from OCA/account-budgeting, which is not available for Odoo 17.0: " +
        "OCA/account-budgeting@17.0 has no account_budget_oca (its mirror read as of 2026-06-01)",
    );
    expect(v!.where).toMatch(new RegExp(`^${PROJECT_FILE}:${lineOf(yaml, "bundles:")}:\\d+ bundles\\[1\\]$`));
    expect(v!.fix).toContain("set odoo.version to one where all its modules are ported (16.0)");
  });

  it("refuses a module the branch still holds unmigrated, and the OCA modules it depends on", async () => {
    const violations = await check(availableIn2026, projectResources(withBundles("18.0", "[finance_ppm]")));
    const messages = violations.map((v) => v.message);
    expect(messages).toContainEqual(
      expect.stringContaining(
        "needs mis_builder from OCA/mis-builder, which is not available for Odoo 18.0: OCA/mis-builder@18.0 holds it as 17.0.1.0.1, not migrated to 18.0",
      ),
    );
    expect(messages).toContainEqual(
      expect.stringContaining("needs report_xlsx (needed by mis_builder) from OCA/reporting-engine"),
    );
    expect(new Set(violations.map((v) => v.where?.split(" ")[1]))).toEqual(new Set(["bundles[0]"]));
  });

  it("does not refuse on data too young to judge the version: the mirrors of October 2024 and 17.0–19.0", async () => {
    for (const version of ["17.0", "18.0", "19.0"])
      expect(
        await check(bundleModulesAvailable, projectResources(withBundles(version, "[finance_ppm]"))),
      ).toEqual([]);
  });
});

describe("bundle-modules-verified (advisory)", () => {
  it("passes 16.0, where every module is confirmed", async () => {
    const yaml = withBundles("16.0", "[finance_ppm, hr_timesheets, crm_sales, inventory]");
    expect(await check(bundleModulesVerified, projectResources(yaml))).toEqual([]);
  });

  it("says which module the data cannot confirm, and how to refresh it", async () => {
    const violations = await check(
      bundleModulesVerified,
      projectResources(withBundles("19.0", "[hr_timesheets]")),
    );
    expect(violations.map((v) => v.message.split(": ")[1])).toEqual([
      "OCA/timesheet has no 19.0 branch in a mirror of 2024-10-20, before 19.0 had been out 12 months (released 2025-09-18)",
      "OCA/hr has no 19.0 branch in a mirror of 2024-10-21, before 19.0 had been out 12 months (released 2025-09-18)",
    ]);
    expect(violations[0]!.fix).toContain("npx tsx scripts/read-oca-ports.ts");
  });
});
