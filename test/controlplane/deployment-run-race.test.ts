import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { image } from "./support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "./support/harness.ts";
import { platformRepo, useControlPlaneEnv } from "./support/sync-fixtures.ts";

/**
 * Two deploy runs of the same environment record at once (a re-run of the workflow while the first is
 * still finishing): the deployment is recorded once, and each run's image, commit and URL land on the
 * row it recorded. The first run is held inside its transaction while the second starts.
 */
let h: AdapterHarness;
let restoreEnv: () => void;
const repo = platformRepo(["acme-erp.yaml"]);
const BRANCH = "release/2027.01";
const IMAGE = image("race-b-2001");

beforeAll(async () => {
  h = await pgHarness();
  restoreEnv = useControlPlaneEnv(h.db.url);
  expect((await runCli(...repo.syncArgs("c0ffee12"))).code).toBe(0);
  await h.as("service").recordBuild({
    project: "acme-erp",
    branch: BRANCH,
    stage: "staging",
    build: "b-2001",
    image: IMAGE,
    commit: "9f8e7d6c",
    checks: { "odooops/build": "success", "odooops/module-tests": "success", "odooops/oca-lint": "success" },
    author: "dev-dan",
    logUri: "https://ci.example/b-2001",
  });
});
afterAll(async () => {
  restoreEnv();
  repo.remove();
  await h.close();
});

it("records a deployment once when two runs record it at the same time", async () => {
  const first = new pg.Client({ connectionString: h.db.url });
  await first.connect();
  try {
    await first.query("begin");
    await first.query("set local role service_role");
    await first.query("select set_config('request.jwt.claims', $1, true)", [
      JSON.stringify({ role: "service_role" }),
    ]);
    await first.query("select ops.record_deployment_run($1, $2, $3, $4, $5)", [
      "acme-erp",
      BRANCH,
      IMAGE,
      "abc1234",
      "https://github.com/o/p/actions/runs/1",
    ]);
    const second = h.as("service").recordDeploymentRun({
      project: "acme-erp",
      branch: BRANCH,
      image: IMAGE,
      commit: "def5678",
      runUrl: "https://github.com/o/p/actions/runs/2",
    });
    // Give the second run time to get as far as it can while the first is still open.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await first.query("commit");
    expect(await second).toMatchObject({ recorded: false });
  } finally {
    await first.end();
  }
  const rows = await h.db.sql(
    "select d.commit_sha, d.run_url from ops.deployments d join ops.environments e on e.id = d.environment_id where e.branch = $1",
    [BRANCH],
  );
  expect(rows.rows).toEqual([{ commit_sha: "abc1234", run_url: "https://github.com/o/p/actions/runs/1" }]);
});
