import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgControlPlane } from "../../controlplane/pg-adapter.ts";
import { AGENT_KEY_PATTERN } from "../../model/governance/build-keys.ts";
import { PEOPLE } from "../controlplane/support/fixtures.ts";
import {
  type AgentWithControlPlane,
  agentWithControlPlane,
  failingPgDump,
  PROJECT,
} from "./control-plane-support.ts";
import { agent } from "./support.ts";

/**
 * Production's agent without the service-role key: anon plus an agent key of its project and stage. It
 * records its backups (failed ones too) and the drills of them, attributed to the key — and nothing of
 * another stage.
 */
let h: AgentWithControlPlane;
const keys = { production: "", staging: "", productionId: "" };
beforeAll(async () => {
  h = await agentWithControlPlane("cpak");
  // Agent keys are made by someone who may take backups and drill them: an SRE.
  const sre = createPgControlPlane({
    connectionString: h.cp.url,
    actor: PEOPLE.sre.login,
    maxConnections: 1,
  });
  try {
    const production = await sre.createBuildKey({
      project: PROJECT,
      stages: ["production"],
      purpose: "agent",
    });
    keys.production = production.key;
    keys.productionId = production.id;
    keys.staging = (
      await sre.createBuildKey({ project: PROJECT, stages: ["staging"], purpose: "agent" })
    ).key;
  } finally {
    await sre.close();
  }
});
afterAll(() => h.close());

const drillArgs = () => [
  "drill",
  "--db-url-env",
  h.prodEnv,
  "--location",
  h.s3.location(),
  "--json",
  "--quiet",
];
const recordedBy = async (table: "backups" | "restore_drills", id: string) =>
  (await h.cp.sql<{ login: string }>(`select recorded_login as login from ops.${table} where id = $1`, [id]))
    .rows[0]?.login;

describe("the data agent with an agent key", () => {
  it("records its backups, failed backups and drills as the key, never as the service role", async () => {
    expect(keys.production).toMatch(AGENT_KEY_PATTERN);
    h.onProductionHost();
    process.env.ODOOOPS_AGENT_KEY = keys.production;
    const backup = JSON.parse((await agent(...h.backupArgs("--kind", "scheduled"))).out);
    expect(backup.controlPlane).toMatchObject({ status: "recorded" });
    expect(await recordedBy("backups", backup.controlPlane.id)).toBe(`agent-key:${keys.productionId}`);

    const drill = JSON.parse((await agent(...drillArgs())).out);
    expect(drill.controlPlane).toMatchObject({ status: "recorded" });
    expect(await recordedBy("restore_drills", drill.controlPlane.id)).toBe(`agent-key:${keys.productionId}`);

    const bin = failingPgDump();
    process.env.ODOOOPS_PG_BIN = bin.path;
    try {
      const failed = JSON.parse((await agent(...h.backupArgs("--kind", "manual"))).out);
      expect(failed.controlPlane).toMatchObject({ status: "recorded" });
      const { rows } = await h.cp.sql("select status, recorded_login from ops.backups where id = $1", [
        failed.controlPlane.id,
      ]);
      expect(rows[0]).toEqual({ status: "failed", recorded_login: `agent-key:${keys.productionId}` });
    } finally {
      delete process.env.ODOOOPS_PG_BIN;
      bin.remove();
    }
    const trail = await h.cp.sql<{ actor_role: string }>(
      "select distinct actor_role from ops.audit_events where action in ('backup.recorded', 'restore_drill.recorded')",
    );
    expect(trail.rows.map((r) => r.actor_role)).toEqual(["agent_key"]);
  });

  it("records nothing with another stage's key, and keeps the evidence", async () => {
    h.onProductionHost();
    process.env.ODOOOPS_AGENT_KEY = keys.staging;
    const before = (await h.cp.sql("select id from ops.backups")).rowCount;
    const run = JSON.parse((await agent(...h.backupArgs("--kind", "manual"))).out);
    expect(run.controlPlane).toMatchObject({
      status: "failed",
      detail: expect.stringContaining("this agent key records staging evidence only, not production"),
    });
    expect(run.evidence).toMatchObject({ kind: "backup", result: "passed" });
    expect((await h.cp.sql("select id from ops.backups")).rowCount).toBe(before);
    process.env.ODOOOPS_AGENT_KEY = "odooops_ak_not-a-key";
    const malformed = await agent(...h.backupArgs("--kind", "manual"));
    expect(malformed.code).toBe(2);
    expect(malformed.err).toContain("ODOOOPS_AGENT_KEY is not an agent key");
    expect(malformed.err).not.toContain("not-a-key");
  });
});
