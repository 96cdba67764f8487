import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BRANCHES, image, PEOPLE, refusal, seedProject } from "../support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "../support/harness.ts";

/**
 * Attack 9's fix, attacked: what a shell on a production host yields now is an agent key, not the
 * service-role key. With it (and the public anon key) one records that project's production backups and
 * drills — nothing else, nowhere else.
 */
const project = "acme-erp";
const backup = (branch: string, n: number) => ({
  project,
  branch,
  kind: "scheduled" as const,
  status: "succeeded" as const,
  location: `s3://acme-erp-backups/${n}.zip`,
  startedAt: "2026-11-23T02:00:00Z",
  finishedAt: "2026-11-23T02:01:00Z",
});

describe("attack: the production agent's credential", () => {
  let h: AdapterHarness;
  const key = { production: "", build: "" };

  beforeAll(async () => {
    h = await pgHarness();
    await seedProject(h.as("service"), project);
    await h.as("service").registerProject({ project: "other-erp", repo: "insightpulseai/other-erp" });
    // An agent key records backups and drills: its maker is someone who may do both, an SRE.
    key.production = (
      await h.as(PEOPLE.sre).createBuildKey({ project, stages: ["production"], purpose: "agent" })
    ).key;
    key.build = (await h.as(PEOPLE.rm).createBuildKey({ project, stages: ["production"] })).key;
  });
  afterAll(() => h.close());

  it("records its own stage's backups and drills, and finds them by location", async () => {
    const anon = h.as("anon");
    const recorded = await anon.recordBackup({ ...backup(BRANCHES.production, 1), agentKey: key.production });
    expect(recorded).toMatchObject({ stage: "production", branch: BRANCHES.production });
    const found = await anon.findBackup({ project, location: recorded.location, agentKey: key.production });
    expect(found.id).toBe(recorded.id);
    const drill = await anon.recordRestoreDrill({
      project,
      agentKey: key.production,
      backupId: recorded.id,
      result: "passed",
      criteria: { restored: true },
      logUri: "s3://acme-erp-backups/drill.log",
      drilledAt: "2026-11-23T05:00:00Z",
    });
    expect(drill.backup).toBe(recorded.id);
  });

  it("refuses everything else: other stages, other projects, builds, reads, and keys of the wrong kind", async () => {
    const anon = h.as("anon");
    const other = await refusal(
      anon.recordBackup({ ...backup(BRANCHES.staging, 2), agentKey: key.production }),
      "forbidden",
    );
    expect(other.message).toBe("this agent key records production evidence only, not staging");
    const foreign = await refusal(
      anon.recordBackup({
        ...backup(BRANCHES.production, 3),
        project: "other-erp",
        agentKey: key.production,
      }),
      "forbidden",
    );
    const nowhere = await refusal(
      anon.recordBackup({
        ...backup(BRANCHES.production, 3),
        project: "no-such-erp",
        agentKey: key.production,
      }),
      "forbidden",
    );
    expect(foreign.message.replace("other-erp", "X")).toBe(nowhere.message.replace("no-such-erp", "X"));
    // A build key is no agent key, and an agent key no build key.
    await refusal(anon.recordBackup({ ...backup(BRANCHES.production, 4), agentKey: key.build }), "forbidden");
    await refusal(
      anon.recordBuildWithKey({
        key: key.production,
        project,
        branch: BRANCHES.production,
        stage: "production",
        build: "b-agent",
        image: image("agent"),
        commit: "abcdef1",
      }),
      "forbidden",
    );
    // No key hands out a right its maker lacks: a production release manager may not drill, so makes no
    // agent key; and nobody drills development, so nobody makes a development agent key.
    const minted = await refusal(
      h.as(PEOPLE.rm).createBuildKey({ project, stages: ["production"], purpose: "agent" }),
      "forbidden",
    );
    expect(minted.message).toMatch(/restore\.drill/);
    await refusal(
      h.as(PEOPLE.sre).createBuildKey({ project, stages: ["development"], purpose: "agent" }),
      "forbidden",
    );
    // Without the key functions, anon has nothing: no service-role write, no read.
    await refusal(anon.recordBackup(backup(BRANCHES.production, 6)), "forbidden");
    await refusal(anon.findBackup({ project, location: "s3://acme-erp-backups/1.zip" }), "forbidden");
    await refusal(anon.catalog(), "forbidden");
    const written = await h.db.sql("select 1 from ops.backups where location ~ '/[2346]\\.zip$'");
    expect(written.rowCount).toBe(0);
  });
});
