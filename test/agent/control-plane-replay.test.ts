import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BRANCHES } from "../controlplane/support/fixtures.ts";
import { type AgentWithControlPlane, agentWithControlPlane, PROJECT } from "./control-plane-support.ts";
import { agent, tempDir } from "./support.ts";

/**
 * `odooops agent evidence record`: evidence a backup wrote while the control plane was not there is sent
 * later, once; a second send is recognized (ops.record_backup would add a second row) and a bad file
 * stops the whole run before anything is sent.
 */
let h: AgentWithControlPlane;
let dir: { path: string; remove: () => void };
beforeAll(async () => {
  h = await agentWithControlPlane("cprp");
  dir = tempDir("cp-replay");
});
afterAll(async () => {
  dir.remove();
  await h.close();
});

const backupArgs = (...extra: string[]) => h.backupArgs(...extra);

const count = async () =>
  (await h.cp.sql<{ n: number }>("select count(*)::int as n from ops.backups")).rows[0]!.n;

/** A backup taken while no control plane is configured: its evidence is only in the output and the file. */
async function backupWithoutControlPlane(file: string) {
  h.onProductionHost();
  delete process.env.ODOOOPS_CONTROL_PLANE_URL;
  const run = await agent(...backupArgs("--kind", "scheduled", "--evidence-file", file));
  expect(run.code).toBe(0);
  const out = JSON.parse(run.out);
  expect(out.controlPlane).toMatchObject({ status: "not-configured" });
  expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(out.evidence);
  return out;
}

describe("agent evidence record", () => {
  it("records a backup's evidence written during an outage, once", async () => {
    const file = join(dir.path, "backup.json");
    const taken = await backupWithoutControlPlane(file);
    h.onProductionHost();
    const before = await count();

    const replay = await agent("evidence", "record", file, "--json");
    expect(replay.err).toBe("");
    expect(replay.code).toBe(0);
    const [result, ...rest] = JSON.parse(replay.out);
    expect(rest).toEqual([]);
    expect(result).toMatchObject({ file, controlPlane: { status: "recorded" } });
    expect(await count()).toBe(before + 1);
    const { rows } = await h.cp.sql(
      `select b.kind, b.status, b.location, b.size_bytes::int as size, b.sha256, b.recorded_login,
              b.started_at = $2::timestamptz as started, b.finished_at = $3::timestamptz as finished,
              b.details ->> 'name' as name, e.branch, e.stage
         from ops.backups b join ops.environments e on e.id = b.environment_id where b.id = $1`,
      [result.controlPlane.id, taken.evidence.startedAt, taken.evidence.finishedAt],
    );
    expect(rows[0]).toEqual({
      kind: "scheduled",
      status: "succeeded",
      location: `${h.s3.location()}${taken.record.name}.zip`,
      size: taken.record.zip.bytes,
      sha256: taken.record.zip.sha256,
      recorded_login: "service_role",
      started: true,
      finished: true,
      name: taken.record.name,
      branch: BRANCHES.production,
      stage: "production",
    });

    // Sent again (a retry after a timeout, a second operator): recognized, no second row.
    const again = await agent("evidence", "record", file);
    expect(again.err).toBe("");
    expect(again.code).toBe(0);
    expect(again.out).toBe(
      `${file}: control plane: backup already recorded as ${result.controlPlane.id} (${PROJECT} ${BRANCHES.production}, production), not sent again\n`,
    );
    expect(await count()).toBe(before + 1);
    const json = JSON.parse((await agent("evidence", "record", file, file, "--json")).out);
    expect(json).toEqual([
      {
        file,
        controlPlane: { status: "already-recorded", id: result.controlPlane.id, detail: expect.any(String) },
      },
      {
        file,
        controlPlane: { status: "already-recorded", id: result.controlPlane.id, detail: expect.any(String) },
      },
    ]);
    expect(await count()).toBe(before + 1);
  });

  it("refuses every file when one is not an evidence record, naming the file and the field", async () => {
    const good = join(dir.path, "good.json");
    await backupWithoutControlPlane(good);
    const bad = join(dir.path, "bad.json");
    const evidence = JSON.parse(readFileSync(good, "utf8"));
    writeFileSync(bad, JSON.stringify({ ...evidence, sizeBytes: -1, startedAt: "yesterday" }));
    const notJson = join(dir.path, "truncated.json");
    writeFileSync(notJson, readFileSync(good, "utf8").slice(0, 40));
    h.onProductionHost();
    const before = await count();

    const run = await agent("evidence", "record", good, bad, notJson, "--json");
    expect(run.code).toBe(2);
    expect(run.out).toBe("");
    expect(run.err).toMatch(
      /^odooops agent evidence record: not an evidence record, nothing was recorded:$/m,
    );
    expect(run.err).toContain(`  ${bad}: startedAt: `);
    expect(run.err).toContain(`  ${bad}: sizeBytes: `);
    expect(run.err).toContain(`  ${notJson}: not a readable JSON file: `);
    expect(run.err).not.toContain(`${good}:`);
    expect(await count()).toBe(before);

    // The good file alone goes through.
    const alone = await agent("evidence", "record", good);
    expect(alone.code).toBe(0);
    expect(alone.out).toMatch(/: control plane: backup recorded as /);
    expect(await count()).toBe(before + 1);
  });

  it("needs a control plane, and fails (exit 1) when it does not record", async () => {
    const file = join(dir.path, "backup.json");
    h.onProductionHost();
    delete process.env.ODOOOPS_CONTROL_PLANE_URL;
    const none = await agent("evidence", "record", file);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no control plane is configured/);

    // Still down: nothing recorded, the file is kept for the next try.
    h.onProductionHost();
    process.env.ODOOOPS_CONTROL_PLANE_URL = "postgresql://nobody@127.0.0.1:1/nowhere";
    const down = await agent("evidence", "record", file, "--json");
    expect(down.code).toBe(1);
    expect(JSON.parse(down.out)).toEqual([
      { file, controlPlane: { status: "failed", detail: expect.any(String) } },
    ]);
    expect(down.err).toMatch(/^odooops agent evidence record: 1 of 1 not recorded /);
  });
});
