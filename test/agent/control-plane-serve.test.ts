import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { type AgentWithControlPlane, agentWithControlPlane, failingPgDump } from "./control-plane-support.ts";

/** `odooops agent serve` records every scheduled run in the control plane, and outlives its outages. */
let h: AgentWithControlPlane;
beforeAll(async () => {
  h = await agentWithControlPlane("cpserve");
});
afterAll(() => h.close());

/** `odooops agent serve` in-process until `done` says so; SIGTERM stops it as on a host. */
async function serve(done: (out: string, err: string) => boolean | Promise<boolean>) {
  let out = "";
  let err = "";
  const running = main(
    [
      "agent",
      "serve",
      "--db-url-env",
      h.prodEnv,
      "--location",
      h.s3.location("serve/"),
      "--backup-cron",
      "* * * * * *",
      "--quiet",
    ],
    {
      out: (t) => {
        out += `${t}\n`;
      },
      err: (t) => {
        err += `${t}\n`;
      },
    },
  );
  await expect.poll(() => done(out, err), { timeout: 15_000, interval: 100 }).toBe(true);
  process.emit("SIGTERM");
  const code = await running;
  return { code, out, err };
}

describe("agent serve and the control plane", () => {
  it("records every scheduled backup", async () => {
    h.onProductionHost();
    const recorded = async () =>
      (
        await h.cp.sql<{ n: number }>(
          "select count(*)::int as n from ops.backups where location like $1 and kind = 'scheduled'",
          [`${h.s3.location("serve/")}%`],
        )
      ).rows[0]!.n;
    const run = await serve(async () => (await recorded()) >= 1);
    expect(run.code).toBe(0);
    expect(run.err).toContain(
      "schedules started; evidence is recorded in the control plane at postgresql://",
    );
    expect(run.err).toMatch(/backup: control plane: backup recorded as [0-9a-f-]{36} \(acme-erp main/);
  });

  it("keeps running and keeps printing evidence while the control plane is down", async () => {
    h.onProductionHost();
    process.env.ODOOOPS_CONTROL_PLANE_URL = "postgresql://postgres:hunter2-secret@127.0.0.1:1/nowhere";
    const lines = (text: string, pattern: RegExp) => text.split("\n").filter((l) => pattern.test(l)).length;
    const run = await serve(
      (out, err) => lines(out, /"kind":"backup"/) >= 2 && lines(err, /NOT RECORDED/) >= 2,
    );
    expect(run.code).toBe(0);
    expect(run.err).toMatch(
      /backup: control plane: NOT RECORDED: unavailable: cannot reach the control plane/,
    );
    expect(`${run.out}${run.err}`).not.toMatch(/hunter2/);
  });

  it("records a scheduled backup that failed, and prunes nothing after it", async () => {
    h.onProductionHost();
    const location = h.s3.location("serve-failed/");
    const failed = async () =>
      (
        await h.cp.sql<{ n: number }>(
          "select count(*)::int as n from ops.backups where location = $1 and kind = 'scheduled' and status = 'failed'",
          [location],
        )
      ).rows[0]!.n;
    const bin = failingPgDump();
    process.env.ODOOOPS_PG_BIN = bin.path;
    let err = "";
    try {
      const running = main(
        ["agent", "serve", "--db-url-env", h.prodEnv, "--location", location, "--backup-cron", "* * * * * *"],
        {
          out: () => undefined,
          err: (t) => {
            err += `${t}\n`;
          },
        },
      );
      await expect.poll(failed, { timeout: 15_000, interval: 100 }).toBeGreaterThanOrEqual(1);
      await expect.poll(() => err, { timeout: 5_000 }).toMatch(/backup: control plane: backup recorded as/);
      process.emit("SIGTERM");
      expect(await running).toBe(0);
    } finally {
      delete process.env.ODOOOPS_PG_BIN;
      bin.remove();
    }
    expect(err).toMatch(/scheduled backup failed: backup of \S+ failed, nothing was stored: pg_dump failed/);
    expect(err).not.toMatch(/^prune/m);
  });
});
