import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BRANCHES, PEOPLE, refusal, seedProject } from "../support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "../support/harness.ts";

/**
 * G1 is what CI recorded with the build, not what a person attaches; and no record of a build, a backup or
 * a restore drill is dated in the future, where it would stay "the newest" whatever came after it.
 */
const project = "acme-erp";
const image = (tag: string) => `ghcr.io/insightpulseai/${project}@sha256:${tag.repeat(64).slice(0, 64)}`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe("attack: forged CI evidence and records from the future", () => {
  let h: AdapterHarness;

  beforeAll(async () => {
    h = await pgHarness();
    await seedProject(h.as("service"), project);
  });
  afterAll(() => h.close());

  it("keeps G1 missing on a build whose CI failed, whatever evidence a developer attaches", async () => {
    await h.as("service").recordBuild({
      project,
      branch: BRANCHES.staging,
      stage: "staging",
      build: "b-red",
      image: image("a"),
      commit: "4f2a9c1e8b7d",
      checks: { "odooops/build": "failure", "odooops/module-tests": "success" },
      author: PEOPLE.dev.login,
      logUri: "https://github.com/insightpulseai/acme-erp/actions/runs/9",
    });
    const ref = { project, release: "r-red" };
    await h.as(PEOPLE.rm).createRelease({ ...ref, build: "b-red" });
    const forged = [{ kind: "checks_status", uri: "https://ci.example/fake-green" }];
    const error = await refusal(
      h.as(PEOPLE.dev).signGate({ ...ref, gate: "G1", evidence: forged }),
      "evidence_missing",
    );
    expect(error.message).toMatch(/checks_status/);
    // Attached on its own, it is kept but still not the build's.
    await h.as(PEOPLE.dev).attachEvidence({ ...ref, gate: "G1", evidence: forged[0]! });
    await refusal(h.as(PEOPLE.dev).signGate({ ...ref, gate: "G1" }), "evidence_missing");
    const status = await h.as(PEOPLE.auditor).releaseStatus(ref);
    expect(status.gates.find((g) => g.gate === "G1")).toMatchObject({ outcome: "missing" });
  });

  it("still passes G1 on the evidence CI recorded with a green build", async () => {
    const ref = { project, release: "r-green" };
    await h.as(PEOPLE.rm).createRelease({ ...ref, build: "b-stag-1" });
    const signed = await h.as(PEOPLE.dev).signGate({ ...ref, gate: "G1" });
    expect(signed).toMatchObject({ outcome: "passed" });
  });

  it("refuses a build dated in the future, which would stay its environment's newest for good", async () => {
    const error = await refusal(
      h.as("service").recordBuild({
        project,
        branch: BRANCHES.staging,
        stage: "staging",
        build: "b-9999",
        image: image("e"),
        commit: "abcdef9",
        checks: { "odooops/build": "success", "odooops/module-tests": "success" },
        builtAt: "9999-12-31T00:00:00Z",
      }),
      "invalid_input",
    );
    expect(error.message).toMatch(/built_at of build is .*, in the future/);
    // A CI clock a minute ahead is not refused.
    await h.as("service").recordBuild({
      project,
      branch: BRANCHES.staging,
      stage: "staging",
      build: "b-skewed",
      image: image("f"),
      commit: "abcdef9",
      builtAt: new Date(Date.now() + 60_000).toISOString(),
    });
  });

  it("refuses backups and drills dated in the future", async () => {
    const backup = {
      project,
      branch: BRANCHES.production,
      kind: "manual" as const,
      status: "succeeded" as const,
    };
    const ahead = await refusal(
      h.as("service").recordBackup({
        ...backup,
        location: "s3://acme/future.zip",
        startedAt: inDays(300),
        finishedAt: inDays(300),
      }),
      "invalid_input",
    );
    expect(ahead.message).toMatch(/started_at of backup is .*, in the future/);
    const taken = await h.as("service").recordBackup({
      ...backup,
      location: "s3://acme/now.zip",
      startedAt: inDays(-0.01),
      finishedAt: new Date().toISOString(),
    });
    const drill = await refusal(
      h.as("service").recordRestoreDrill({
        backupId: taken.id,
        result: "passed",
        criteria: { restored: true },
        logUri: "https://x.example/drill",
        drilledAt: inDays(300),
      }),
      "invalid_input",
    );
    expect(drill.message).toMatch(/drilled_at of restore_drill is .*, in the future/);
  });
});
