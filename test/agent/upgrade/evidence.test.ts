import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parse } from "yaml";
import { neutralizeArgs } from "../../agent/clone-support.ts";
import { envVar, type OdooDb, odooDatabase } from "../../agent/support.ts";
import { image } from "../../controlplane/support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "../../controlplane/support/harness.ts";
import { platformRepo, useControlPlaneEnv } from "../../controlplane/support/sync-fixtures.ts";
import type { FixtureVersion } from "../../fixtures/odoo/fixture.ts";
import { runCli } from "../../support/cli.ts";
import { addons, fixtureModules, standinCommand } from "./support.ts";

/** The upgrade report lands on the release as G2 test_evidence (summary and the JSON's SHA-256), attached by QA. */
let h: AdapterHarness;
let prod: OdooDb;
let restoreEnv: () => void;
const repo = platformRepo(["acme-erp.yaml"]);
/** The example project's Odoo version: the preview upgrades from what the project file says. */
const FROM = (
  parse(readFileSync("examples/projects/acme-erp.yaml", "utf8")) as { odoo: { version: FixtureVersion } }
).odoo.version;
const fromTo = new RegExp(`^upgrade preview ${FROM.replace(".", "\\.")} → 19\\.0`);
const work = mkdtempSync(join(tmpdir(), "odooops-upgrade-evidence-"));

beforeAll(async () => {
  h = await pgHarness();
  restoreEnv = useControlPlaneEnv(h.db.url);
  prod = await odooDatabase("upg_ev", { partners: 10, version: FROM });
});
afterAll(async () => {
  restoreEnv();
  await prod.drop();
  await h.close();
  repo.remove();
  rmSync(work, { recursive: true, force: true });
});

it("attaches the upgrade report to the release", async () => {
  expect((await runCli(...repo.syncArgs("c0ffee12"))).code).toBe(0);
  await h.as("service").recordBuild({
    project: "acme-erp",
    branch: "release/2027.02",
    stage: "staging",
    build: "b-3001",
    image: image("upgrade-19"),
    commit: "9f8e7d6c",
    checks: { "odooops/build": "success", "odooops/module-tests": "success", "odooops/oca-lint": "success" },
    author: "dev-dan",
    logUri: "https://ci.example/b-3001",
  });
  expect(
    (await runCli("release", "create", "acme-erp", "r-2027.02", "--build", "b-3001", "--as", "rm-ben")).code,
  ).toBe(0);
  const odoo = standinCommand(addons(join(work, "addons"), fixtureModules("19.0")));
  const run = await runCli(
    "upgrade",
    "preview",
    "acme-erp",
    "--to",
    "19.0",
    "--root",
    repo.root,
    "--source-url-env",
    envVar(prod.url, "UPG_EV"),
    "--out",
    join(work, "out"),
    ...neutralizeArgs.slice(1),
    "--odoo",
    odoo,
    "--release",
    "r-2027.02",
    "--as",
    "qa-ana",
  );
  expect(run.stderr).not.toMatch(/odooops:/);
  expect(run.stdout).toMatch(new RegExp(`${fromTo.source}: (ready|needs-work|blocked)`));
  const rows = await h.db.sql(
    "select gate, kind, uri, summary, sha256 from ops.evidence where kind = 'test_evidence'",
  );
  expect(rows.rows).toEqual([
    expect.objectContaining({
      gate: "G2",
      uri: `file://${join(work, "out", "upgrade-report.json")}`,
      summary: expect.stringMatching(fromTo),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    }),
  ]);
});
