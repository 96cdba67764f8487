import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gateDefinition } from "../../model/governance/gates.ts";
import { runCli } from "../support/cli.ts";
import { httpsOdoo, type OdooStandIn, testCertificates } from "../support/tls.ts";
import { image } from "./support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "./support/harness.ts";
import { platformRepo, useControlPlaneEnv } from "./support/sync-fixtures.ts";

const evidence = (gate: "G2" | "G3" | "G4", skip: string[] = []) =>
  gateDefinition(gate)
    .requiredEvidence.filter((kind) => !skip.includes(kind))
    .flatMap((kind) => ["--evidence", `${kind}=https://evidence.example/${kind}`]);

/**
 * The README's walk-through against a real database: sync from Git, a build, a release through G1–G3 by
 * different members, approval, promotion in the project file, the deployment, the health check (a real
 * HTTPS server under a CA made here) as G4 evidence, then G4. And a failed check: incident + rollback.
 */
describe("release walk-through: sync → gates → promote → deploy → health → G4", () => {
  let h: AdapterHarness;
  let odoo: OdooStandIn;
  const repo = platformRepo(["acme-erp.yaml"]);
  const tls = testCertificates();
  const caFile = join(repo.root, "ca.pem");
  const logFile = join(repo.root, "odoo.log");
  const releaseImage = image("walkthrough-r-2027.01");
  const digest = releaseImage.slice(releaseImage.indexOf("@") + 1);
  let restoreEnv: () => void;

  beforeAll(async () => {
    h = await pgHarness();
    odoo = await httpsOdoo(tls, digest);
    writeFileSync(caFile, tls.ca);
    writeFileSync(
      logFile,
      "2027-01-04 10:00:01,120 7 INFO acme odoo.modules.loading: Modules loaded.\n" +
        "2027-01-04 10:00:02,004 7 WARNING acme odoo.addons.base: a warning is not an error\n",
    );
    restoreEnv = useControlPlaneEnv(h.db.url);
  });
  afterAll(async () => {
    restoreEnv();
    await odoo.close();
    repo.remove();
    await h.close();
  });

  const ok = async (...argv: string[]) => {
    const result = await runCli(...argv);
    expect(result.stderr, argv.join(" ")).toBe("");
    expect(result.code, argv.join(" ")).toBe(0);
    return result.stdout;
  };

  it("runs end to end, each step by the persona allowed to take it", async () => {
    await ok(...repo.syncArgs("c0ffee12"));

    const ci = h.as("service");
    const checks = {
      "odooops/build": "success",
      "odooops/module-tests": "success",
      "odooops/oca-lint": "success",
    } as const;
    for (const [branch, stage, build, img] of [
      ["main", "production", "b-2000", image("walkthrough-main")],
      ["release/2027.01", "staging", "b-2001", releaseImage],
    ] as const)
      await ci.recordBuild({
        project: "acme-erp",
        branch,
        stage,
        build,
        image: img,
        commit: "9f8e7d6c",
        checks,
        author: "dev-dan",
        logUri: `https://ci.example/${build}`,
      });

    await ok("release", "create", "acme-erp", "r-2027.01", "--build", "b-2001", "--as", "rm-ben");
    await ok("gate", "sign", "acme-erp", "r-2027.01", "G1", "--as", "rm-ben");
    await ok("gate", "sign", "acme-erp", "r-2027.01", "G2", "--as", "qa-ana", ...evidence("G2"));
    await ok("gate", "sign", "acme-erp", "r-2027.01", "G3", "--as", "rm-ben", ...evidence("G3"));

    const self = await runCli("release", "approve", "acme-erp", "r-2027.01", "--as", "rm-ben");
    expect(self.code).toBe(1);
    expect(self.stderr).toContain("separation of duties");
    expect(
      await ok("release", "approve", "acme-erp", "r-2027.01", "--as", "rm-chloe", "--comment", "go"),
    ).toContain("approved release r-2027.01 for production");

    expect(
      await ok("release", "promote", "acme-erp", "r-2027.01", "--root", repo.root, "--as", "audit-dana"),
    ).toContain(`production image ${releaseImage}`);
    expect(readFileSync(join(repo.projects, "acme-erp.yaml"), "utf8")).toContain(`image: ${releaseImage}\n`);

    const deploy = [
      "deployment",
      "record",
      "acme-erp",
      "main",
      "--image",
      releaseImage,
      "--commit",
      "abc1234",
      "--run-url",
      "https://github.com/o/p/actions/runs/7",
    ];
    expect(await ok(...deploy)).toContain(
      "recorded deployment of b-2001 (release r-2027.01) to acme-erp main (production) by service_role",
    );
    expect(await ok(...deploy)).toContain("already runs b-2001; nothing recorded");
    const row = await h.db.sql("select image, commit_sha, run_url from ops.deployments");
    expect(row.rows).toEqual([
      { image: releaseImage, commit_sha: "abc1234", run_url: "https://github.com/o/p/actions/runs/7" },
    ]);

    const signG4 = [
      "gate",
      "sign",
      "acme-erp",
      "r-2027.01",
      "G4",
      "--as",
      "sre-sam",
      ...evidence("G4", ["health_checks"]),
    ];
    expect((await runCli(...signG4)).code).toBe(1); // no health evidence yet

    const health = await ok(
      "health",
      "acme-erp",
      "main",
      "--url",
      odoo.url,
      "--release",
      "r-2027.01",
      "--ca",
      caFile,
      "--logs",
      logFile,
      "--evidence-uri",
      "https://github.com/o/p/actions/runs/7",
    );
    expect(health).toContain(`ok   build: running ${digest}`);
    expect(health).toContain("G4 health_checks evidence attached to r-2027.01");

    expect(await ok(...signG4)).toContain("G4 of r-2027.01 passed");
    expect(await ok("release", "status", "acme-erp", "r-2027.01", "--as", "audit-dana")).toContain(
      "next: nothing, every gate has passed",
    );
  });

  it("a failed check opens an incident linked to the deployment and offers the rollback; an untrusted certificate fails", async () => {
    odoo.set({ digest: `sha256:${"0".repeat(64)}` });
    writeFileSync(
      logFile,
      "2027-01-04 10:05:00,001 7 ERROR acme odoo.http: Exception during request handling.\nTraceback (most recent call last):\n",
    );
    const failed = await runCli(
      "health",
      "acme-erp",
      "main",
      "--url",
      odoo.url,
      "--expect-image",
      releaseImage,
      "--ca",
      caFile,
      "--logs",
      logFile,
    );
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(
      `FAIL build: expected ${digest}, the environment runs sha256:${"0".repeat(64)}`,
    );
    expect(failed.stdout).toContain("FAIL logs: 2 error line(s)");
    expect(failed.stderr).toContain("roll back: odooops rollback acme-erp");
    const incidents = await h.db.sql(
      "select i.summary, i.deployment_id is not null as linked from ops.incidents i",
    );
    expect(incidents.rows).toEqual([
      { summary: "post-deploy health check failed: build, logs", linked: true },
    ]);

    const untrusted = await runCli(
      "health",
      "acme-erp",
      "main",
      "--url",
      odoo.url,
      "--expect-image",
      releaseImage,
    );
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout).toMatch(/FAIL tls: .*(SELF_SIGNED|UNABLE_TO_VERIFY|unable to verify)/i);
  });

  it("a rejected release stays unpromoted for good, and only another release manager rejects it", async () => {
    await ok("release", "create", "acme-erp", "r-2027.02", "--build", "b-2000", "--as", "rm-ben");
    const own = await runCli(
      "release",
      "reject",
      "acme-erp",
      "r-2027.02",
      "--as",
      "rm-ben",
      "--reason",
      "not this one, sorry",
    );
    expect(own.code).toBe(1);
    expect(
      (await runCli("release", "reject", "acme-erp", "r-2027.02", "--as", "rm-chloe", "--reason", "short"))
        .code,
    ).toBe(2);
    const reject = [
      "release",
      "reject",
      "acme-erp",
      "r-2027.02",
      "--as",
      "rm-chloe",
      "--reason",
      "breaks invoicing in staging",
    ];
    expect(await ok(...reject)).toContain("rejected release r-2027.02 by rm-chloe");
    expect((await runCli(...reject)).stderr).toContain("already been decided");
    // Approving after the rejection is refused with the decision, not the unique index's raw error.
    const approve = await runCli(
      "release",
      "approve",
      "acme-erp",
      "r-2027.02",
      "--as",
      "rm-chloe",
      "--comment",
      "ok now",
    );
    expect(approve.stderr).toContain("release r-2027.02 has already been decided (rejected)");
    expect(approve.stderr).not.toMatch(/23505|duplicate key|approvals_one_promotion/);
    expect(approve.code).not.toBe(0);
    const promote = await runCli(
      "release",
      "promote",
      "acme-erp",
      "r-2027.02",
      "--root",
      repo.root,
      "--as",
      "rm-chloe",
    );
    expect(promote).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("only an approved release is promoted"),
    });
  });

  it("the scheduled reconcile sees staging builds no deployment has put in place, never production's", async () => {
    const pending = await ok("deployment", "pending");
    expect(pending).toBe("acme-erp release/2027.01 (staging): build b-2001 not deployed\n");
    await ok(
      "deployment",
      "record",
      "acme-erp",
      "release/2027.01",
      "--image",
      releaseImage,
      "--commit",
      "abc1234",
      "--run-url",
      "https://github.com/o/p/actions/runs/8",
    );
    expect(await ok("deployment", "pending")).toBe("nothing pending\n");
    const member = await runCli("deployment", "pending", "--as", "rm-ben");
    expect(member.code).toBe(1); // automation's question only
  });
});
