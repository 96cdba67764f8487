import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBackupZip } from "../../agent/archive/read-zip.ts";
import { type ProductionWithBackups, productionWithBackups } from "./backup-support.ts";
import { agent, backupArgv, tempDir } from "./support.ts";

/** Backups carry what was running (image, commit, build) and the environment's recent logs; restore shows them. */
let h: ProductionWithBackups;
let dir: { path: string; remove: () => void };
const IMAGE = `ghcr.io/acme/acme-erp@sha256:${"c".repeat(64)}`;
const TOKEN = "ghp_Zq8xY2wV4uT6sR1pO3nM5lK7jH9gF0eD2cB4a";

beforeAll(async () => {
  h = await productionWithBackups("bo");
  dir = tempDir("backup-origin");
});
afterAll(async () => {
  await h.close();
  dir.remove();
});

describe("backup origin", () => {
  it("keeps image, commit, build id and the last log lines (tokens redacted) in odooops.json; restore shows them", async () => {
    const log = join(dir.path, "odoo.log");
    const lines = Array.from(
      { length: 600 },
      (_, i) => `2026-12-05 02:00:00,000 7 INFO acme werkzeug: line ${i}`,
    );
    lines.push(`2026-12-05 02:00:01,000 7 WARNING acme odoo.http: token ${TOKEN} password=hunter2 seen`);
    writeFileSync(log, `${lines.join("\n")}\n`);
    const out = await h.backup(
      "--image",
      IMAGE,
      "--commit",
      "0123456789abcdef0123456789abcdef01234567",
      "--build-id",
      "b-2001",
      "--logs",
      log,
    );
    const zip = await openBackupZip(await h.download(out.record.name, dir.path));
    try {
      expect(zip.facts?.build).toEqual({
        image: IMAGE,
        commit: "0123456789abcdef0123456789abcdef01234567",
        buildId: "b-2001",
      });
      expect(zip.facts?.logs?.lines).toHaveLength(500);
      expect(zip.facts?.logs?.truncated).toBe(true);
      expect(zip.facts?.logs?.lines[0]).toContain("line 101");
      expect(zip.facts?.logs?.lines.at(-1)).toBe(
        "2026-12-05 02:00:01,000 7 WARNING acme odoo.http: token [redacted] password=[redacted] seen",
      );
    } finally {
      await zip.zip.close();
    }
    const target = `${h.prod.name}_origin`;
    const run = await h.restoreNewest(h.targetEnv(target), "--quiet", "--show-logs");
    expect(run.code).toBe(0);
    expect(run.out).toContain(
      `taken while running image ${IMAGE}, commit 0123456789abcdef0123456789abcdef01234567, build b-2001; 500 log line(s) from ${log}`,
    );
    expect(run.out).toContain("  | 2026-12-05 02:00:00,000 7 INFO acme werkzeug: line 599");
    expect(run.out).not.toContain(TOKEN);
  });

  it("restores a backup without them (older zips) and says so", async () => {
    await h.backup();
    const run = await h.restoreNewest(h.targetEnv(`${h.prod.name}_plain`), "--json", "--quiet");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).origin).toEqual({});
  });

  it("refuses a commit that is not a SHA before anything is dumped", async () => {
    const run = await agent(...backupArgv(h.prodEnv, h.s3.location(), h.filestore, "--commit", "main"));
    expect(run.code).toBe(2);
    expect(run.err.trim()).toBe("odooops agent backup: --commit: must be a git commit SHA");
  });
});
