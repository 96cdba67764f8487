import { createHash, randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { newestBackup } from "../../agent/storage/backups.ts";
import { openStore } from "../../agent/storage/open.ts";
import { filestoreDigest, type ProductionWithBackups, productionWithBackups } from "./backup-support.ts";
import { agent, query, tempDir } from "./support.ts";

/** Backing production up to a bucket, the restore drill that proves a backup, and the secrets neither prints. */
let h: ProductionWithBackups;
beforeAll(async () => {
  h = await productionWithBackups("bk");
});
afterAll(() => h.close());

async function zipEntries(path: string): Promise<string[]> {
  const zip = await yauzl.openPromise(path);
  const names: string[] = [];
  for await (const entry of zip.eachEntry()) names.push(entry.fileName);
  zip.close();
  return names;
}

describe("backup", () => {
  it("gives each backup of a database its own second, so the newest is the one just made", async () => {
    const first = await h.backup("--kind", "scheduled");
    const second = await h.backup("--kind", "manual");
    const secondOf = (name: string) => name.split("/")[1]!.slice(0, 16);
    expect(secondOf(second.record.name) > secondOf(first.record.name)).toBe(true);
    const newest = await newestBackup(await openStore(h.s3.location()), h.prod.name);
    expect(newest.name).toBe(second.record.name);
  });

  it("stores an Odoo database-manager zip and a checksummed record in the bucket", async () => {
    const { record, evidence } = await h.backup("--pre-deploy", "--release", "b-1042");
    expect(record.name).toMatch(new RegExp(`^${h.prod.name}/\\d{8}T\\d{6}Z-pre-deploy$`));
    expect(evidence).toMatchObject({
      kind: "backup",
      result: "passed",
      backupKind: "pre-deploy",
      sha256: record.zip.sha256,
    });
    const dir = tempDir("zip");
    try {
      const path = await h.download(record.name, dir.path);
      expect(createHash("sha256").update(readFileSync(path)).digest("hex")).toBe(record.zip.sha256);
      const entries = await zipEntries(path);
      expect(entries.slice(0, 2)).toEqual(["manifest.json", "dump.sql"]);
      expect(entries.filter((e) => e.startsWith("filestore/"))).toHaveLength(12);
      expect(entries.at(-1)).toBe("odooops.json");
      const zip = await yauzl.openPromise(path);
      for await (const entry of zip.eachEntry()) {
        if (entry.fileName !== "manifest.json") continue;
        const chunks: Buffer[] = [];
        for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
        const manifest = JSON.parse(Buffer.concat(chunks).toString());
        expect(manifest).toMatchObject({
          odoo_dump: "1",
          db_name: h.prod.name,
          version: "17.0",
          major_version: "17.0",
          pg_version: "15.0",
        });
        expect(manifest.modules).toMatchObject({ base: "17.0.1.3", queue_job: "17.0.1.1.0" });
        expect(manifest.modules.crm).toBeUndefined();
      }
      zip.close();
    } finally {
      dir.remove();
    }
  });

  it("stores nothing when pg_dump dies half way, and earlier backups stay restorable", async () => {
    const before = (await (await openStore(h.s3.location())).list()).map((o) => o.name).sort();
    const bin = tempDir("bin");
    writeFileSync(
      join(bin.path, "pg_dump"),
      `#!/bin/sh\n/usr/lib/postgresql/15/bin/pg_dump "$@" | head -c 150000\nexit 1\n`,
    );
    chmodSync(join(bin.path, "pg_dump"), 0o755);
    process.env.ODOOOPS_PG_BIN = bin.path;
    try {
      const run = await agent(
        "backup",
        "--db-url-env",
        h.prodEnv,
        "--location",
        h.s3.location(),
        "--filestore-dir",
        h.filestore,
        "--quiet",
      );
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/backup of .* failed, nothing was stored/);
    } finally {
      delete process.env.ODOOOPS_PG_BIN;
      bin.remove();
    }
    expect((await (await openStore(h.s3.location())).list()).map((o) => o.name).sort()).toEqual(before);
  });

  it("uploads large backups in multiple parts", async () => {
    // An incompressible 12 MiB attachment and 5 MiB parts: the zip goes up as a multipart upload.
    writeFileSync(join(h.filestore, "ff", "large-attachment"), randomBytes(12 * 1024 * 1024));
    process.env.ODOOOPS_S3_PART_SIZE = String(5 * 1024 * 1024);
    try {
      const { record } = await h.backup();
      expect(record.zip.bytes).toBeGreaterThan(12 * 1024 * 1024);
      const restored = `${h.prod.name}_big`;
      const restoredFiles = join(h.files.path, restored);
      const run = await agent(
        "restore",
        "--db-url-env",
        h.targetEnv(restored),
        "--location",
        h.s3.location(),
        "--backup",
        record.name,
        "--filestore-dir",
        restoredFiles,
        "--quiet",
      );
      expect(run.code).toBe(0);
      expect(await filestoreDigest(restoredFiles)).toEqual(await filestoreDigest(h.filestore));
    } finally {
      delete process.env.ODOOOPS_S3_PART_SIZE;
    }
  });
});

describe("drill", () => {
  it("restores the newest backup into a scratch database, checks it, drops it and records evidence", async () => {
    await h.backup();
    const evidenceDir = tempDir("evidence");
    try {
      const evidenceFile = join(evidenceDir.path, "drill.json");
      const run = await agent(
        "drill",
        "--db-url-env",
        h.prodEnv,
        "--location",
        h.s3.location(),
        "--project",
        "acme-erp",
        "--evidence-file",
        evidenceFile,
        "--json",
        "--quiet",
      );
      expect(run.err).toBe("");
      expect(run.code).toBe(0);
      const evidence = JSON.parse(readFileSync(evidenceFile, "utf8"));
      expect(evidence).toMatchObject({
        kind: "restore-drill",
        project: "acme-erp",
        database: h.prod.name,
        result: "passed",
      });
      expect(evidence.sizeBytes).toBeGreaterThan(0);
      expect(evidence.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
        ["restore", true],
        ["backup intact", true],
        ["row counts", true],
        ["modules match manifest", true],
        ["admin can log in", true],
        ["attachments present", true],
      ]);
      const { drillEvidenceSchema } = await import("../../model/data/data-evidence.ts");
      expect(drillEvidenceSchema.safeParse(evidence).success).toBe(true);
      const scratch = await query(h.server, "select datname from pg_database where datname like '%drill%'");
      expect(scratch).toEqual([]);
    } finally {
      evidenceDir.remove();
    }
  });

  it("fails, with evidence, when the newest backup does not restore", async () => {
    const { record } = await h.backup();
    const store = await openStore(h.s3.location());
    await store.upload(
      `${record.name}.zip`,
      (await import("node:stream")).Readable.from([Buffer.from("not a zip")]),
    );
    const run = await agent(
      "drill",
      "--db-url-env",
      h.prodEnv,
      "--location",
      h.s3.location(),
      "--json",
      "--quiet",
    );
    expect(run.code).toBe(1);
    const { evidence } = JSON.parse(run.out);
    expect(evidence.result).toBe("failed");
    expect(evidence.checks).toEqual([
      // Refused on the object's size, before any of it is downloaded.
      {
        name: "restore",
        ok: false,
        detail: expect.stringMatching(/is 9 bytes, its record says \d+: .* nothing was downloaded$/),
      },
    ]);
    await store.remove([`${record.name}.zip`, `${record.name}.json`]);
  });
});

it("keeps every secret out of its output", async () => {
  process.env.ODOOOPS_SECRET_URL = h.prod.url.replace("postgres@", "postgres:hunter2-secret@");
  const run = await agent(
    "backup",
    "--db-url-env",
    "ODOOOPS_SECRET_URL",
    "--location",
    h.s3.location(),
    "--filestore-dir",
    h.filestore,
  );
  expect(run.code).toBe(0);
  expect(`${run.out}${run.err}`).not.toMatch(/hunter2|S3RVER/);
  expect(await readdir(h.files.path)).toContain(h.prod.name);
  mkdirSync(join(h.files.path, "unused"), { recursive: true });
});
