import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdapterHarness, pgHarness } from "../../../controlplane/support/harness.ts";
import { useControlPlaneEnv } from "../../../controlplane/support/sync-fixtures.ts";
import { runCli } from "../../../support/cli.ts";
import { image, platformRepo } from "./support.ts";

/** With a control plane, `odooops rollback` records what was rolled back, by whom and why — or changes nothing. */
describe("odooops rollback, recorded", () => {
  let h: AdapterHarness;
  let restoreEnv: () => void;
  beforeAll(async () => {
    h = await pgHarness();
    restoreEnv = useControlPlaneEnv(h.db.url);
    await h.as("service").syncProjects({
      commit: "abcdef1",
      projects: [
        {
          name: "shop",
          repo: "acme/shop",
          requiredChecks: [],
          branchRules: [{ match: "main", stage: "production" }],
          members: [
            { githubId: 1, login: "rm-ben", role: "release_manager" },
            { githubId: 2, login: "qa-ana", role: "qa_tester" },
          ],
        },
      ],
    });
  });
  afterAll(async () => {
    restoreEnv();
    await h.close();
  });

  it("needs a reason and a person with release.rollback; refused, the file stays as it was", async () => {
    const { root, file } = platformRepo([image("a"), image("b")]);
    const before = readFileSync(file, "utf8");
    const noReason = await runCli("rollback", "shop", "--root", root, "--as", "rm-ben");
    expect(noReason).toMatchObject({ code: 2, stderr: expect.stringContaining("--reason is required") });
    const qa = await runCli(
      "rollback",
      "shop",
      "--root",
      root,
      "--as",
      "qa-ana",
      "--reason",
      "checkout is broken",
    );
    expect(qa.code).toBe(1);
    expect(qa.stderr).toContain("qa_tester may not release.rollback");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("records the images, the person and the reason in the audit trail", async () => {
    const { root, file } = platformRepo([image("a"), image("b")]);
    const result = await runCli(
      "rollback",
      "shop",
      "--root",
      root,
      "--as",
      "rm-ben",
      "--reason",
      "checkout is broken",
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("Recorded in the control plane (audit: rollback.prepared).");
    expect(readFileSync(file, "utf8")).toContain(image("a"));
    const events = await h.db.sql(
      "select actor_login, details from ops.audit_events where action = 'rollback.prepared'",
    );
    expect(events.rows).toEqual([
      {
        actor_login: "rm-ben",
        details: expect.objectContaining({ from: image("b"), to: image("a"), reason: "checkout is broken" }),
      },
    ]);
  });
});
