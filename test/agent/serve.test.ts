import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDatabaseUrl } from "../../agent/pg/connection.ts";
import { silentReporter } from "../../agent/progress.ts";
import { startServe } from "../../agent/serve.ts";
import { listBackups } from "../../agent/storage/backups.ts";
import { openStore } from "../../agent/storage/open.ts";
import type { DataEvidence } from "../../model/data/data-evidence.ts";
import { agent, envVar, type OdooDb, odooDatabase, tempDir } from "./support.ts";

let db: OdooDb;
let backups: ReturnType<typeof tempDir>;
beforeAll(async () => {
  db = await odooDatabase("serve", { partners: 50 });
  backups = tempDir("serve");
});
afterAll(async () => {
  await db.drop();
  backups.remove();
});

describe("serve", () => {
  it("takes scheduled backups, prunes after each, and runs drills, reporting evidence", async () => {
    const evidence: DataEvidence[] = [];
    const handle = startServe({
      db: readDatabaseUrl(envVar(db.url, "SERVE")),
      location: backups.path,
      backupCron: "*/2 * * * * *",
      drillCron: "1-59/2 * * * * *",
      policy: { daily: 7, weekly: 4, monthly: 3 },
      filestoreDir: undefined,
      project: "acme-erp",
      reporter: silentReporter,
      onEvidence: (e) => {
        evidence.push(e);
      },
    });
    try {
      await expect
        .poll(() => evidence.filter((e) => e.kind === "restore-drill" && e.result === "passed").length, {
          timeout: 15_000,
        })
        .toBeGreaterThan(0);
    } finally {
      handle.stop();
    }
    const taken = evidence.filter((e) => e.kind === "backup");
    expect(taken.length).toBeGreaterThan(0);
    expect(taken.every((e) => e.result === "passed" && e.project === "acme-erp")).toBe(true);
    // Every backup was pruned right after it was taken: only the newest of the day survives (plus the
    // oldest, kept while counts remain).
    const stored = (await listBackups(await openStore(backups.path))).filter((b) => b.complete);
    expect(stored.length).toBeLessThanOrEqual(2);
  });

  it("stays resident with no schedule until SIGTERM, then exits 0", async () => {
    // The real process, not main(): what a container runs as its PID 1 must not leave on its own.
    const child = spawn(process.execPath, ["bin/odooops.js", "agent", "serve"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
    });
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      await expect.poll(() => err, { timeout: 30_000 }).toContain("no schedule; idling");
      await sleep(1_500);
      expect(child.exitCode, err).toBeNull();
      child.kill("SIGTERM");
      expect(await exited).toEqual([0, null]);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("refuses a malformed schedule", async () => {
    const run = await agent("serve", "--backup-cron", "every night", "--location", backups.path);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--backup-cron "every night" is not a cron expression/);
  });
});

describe("agent command line", () => {
  it("explains a missing environment variable instead of failing", async () => {
    const run = await agent(
      "neutralize",
      "--db-url-env",
      "ODOOOPS_NOT_SET",
      "--base-url",
      "https://x.example.com",
      "--mailpit-host",
      "mailpit",
    );
    expect(run.code).toBe(2);
    expect(run.err).toBe(
      "odooops agent neutralize: environment variable ODOOOPS_NOT_SET is not set; it must hold the database URL (postgresql://user:password@host:port/database)\n",
    );
  });

  it("rejects a URL that is not a database URL, without echoing it", async () => {
    const name = envVar("https://user:s3cret@example.com/db", "BAD");
    const run = await agent("mask", "--db-url-env", name);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/is not a postgresql:\/\/ URL/);
    expect(run.err).not.toMatch(/s3cret/);
  });

  it("needs a backup location", async () => {
    delete process.env.ODOOOPS_BACKUP_URL;
    const run = await agent("prune");
    expect(run.code).toBe(2);
    expect(run.err).toMatch(
      /no backup location: pass --location s3:\/\/bucket\/prefix\/ or set ODOOOPS_BACKUP_URL/,
    );
  });
});
