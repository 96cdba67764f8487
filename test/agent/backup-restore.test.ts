import { createHash, randomBytes } from "node:crypto";
import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import yazl from "yazl";
import { listFilestore } from "../../agent/archive/filestore.ts";
import { withDatabase } from "../../agent/pg/connection.ts";
import { startPgTool } from "../../agent/pg/tools.ts";
import { openStore } from "../../agent/storage/open.ts";
import { findValues, sourcePii } from "./pii.ts";
import {
  agent,
  databaseExists,
  envVar,
  type OdooDb,
  odooDatabase,
  query,
  type S3Server,
  s3Server,
  tableFingerprints,
  tempDir,
} from "./support.ts";

let s3: S3Server;
let prod: OdooDb;
let prodEnv: string;
let files: ReturnType<typeof tempDir>;
let filestore: string;
let server: string;
const cleanup: string[] = [];

async function filestoreDigest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFilestore(dir))
    out[f.path] = createHash("sha256").update(readFileSync(f.absolute)).digest("hex");
  return out;
}

async function zipEntries(path: string): Promise<string[]> {
  const zip = await yauzl.openPromise(path);
  const names: string[] = [];
  for await (const entry of zip.eachEntry()) names.push(entry.fileName);
  zip.close();
  return names;
}

/** A target database URL on the same server, removed after the file's tests. */
function targetEnv(name: string): string {
  cleanup.push(name);
  return envVar(withDatabase(prod.url, name), "TARGET");
}

beforeAll(async () => {
  delete process.env.ODOOOPS_BACKUP_URL;
  delete process.env.ODOOOPS_FILESTORE_DIR;
  s3 = await s3Server();
  files = tempDir("filestores");
  prod = await odooDatabase("bk", { partners: 300, filestoreRoot: files.path, attachments: 12 });
  filestore = join(files.path, prod.name);
  prodEnv = envVar(prod.url, "PROD");
  server = withDatabase(prod.url, "postgres");
});

afterAll(async () => {
  for (const name of cleanup) await query(server, `drop database if exists "${name}" with (force)`);
  await prod.drop();
  await s3.close();
  files.remove();
});

async function backup(...extra: string[]) {
  const run = await agent(
    "backup",
    "--db-url-env",
    prodEnv,
    "--location",
    s3.location(),
    "--filestore-dir",
    filestore,
    "--json",
    "--quiet",
    ...extra,
  );
  expect(run.err).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.out) as {
    record: { name: string; zip: { sha256: string; bytes: number } };
    evidence: Record<string, unknown>;
  };
}

async function download(name: string, dir: string): Promise<string> {
  const store = openStore(s3.location());
  const path = join(dir, "backup.zip");
  await pipeline((await store.read(`${name}.zip`)).body, createWriteStream(path));
  writeFileSync(join(dir, "backup.json"), (await store.getText(`${name}.json`))!);
  return path;
}

describe("backup", () => {
  it("stores an Odoo database-manager zip and a checksummed record in the bucket", async () => {
    const { record, evidence } = await backup("--pre-deploy", "--release", "b-1042");
    expect(record.name).toMatch(new RegExp(`^${prod.name}/\\d{8}T\\d{6}Z-pre-deploy$`));
    expect(evidence).toMatchObject({
      kind: "backup",
      result: "passed",
      backupKind: "pre-deploy",
      sha256: record.zip.sha256,
    });
    const dir = tempDir("zip");
    try {
      const path = await download(record.name, dir.path);
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
          db_name: prod.name,
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
    const before = (await openStore(s3.location()).list()).map((o) => o.name).sort();
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
        prodEnv,
        "--location",
        s3.location(),
        "--filestore-dir",
        filestore,
        "--quiet",
      );
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/backup of .* failed, nothing was stored/);
    } finally {
      delete process.env.ODOOOPS_PG_BIN;
      bin.remove();
    }
    expect((await openStore(s3.location()).list()).map((o) => o.name).sort()).toEqual(before);
  });

  it("uploads large backups in multiple parts", async () => {
    // An incompressible 12 MiB attachment and 5 MiB parts: the zip goes up as a multipart upload.
    writeFileSync(join(filestore, "ff", "large-attachment"), randomBytes(12 * 1024 * 1024));
    process.env.ODOOOPS_S3_PART_SIZE = String(5 * 1024 * 1024);
    try {
      const { record } = await backup();
      expect(record.zip.bytes).toBeGreaterThan(12 * 1024 * 1024);
      const restored = `${prod.name}_big`;
      const restoredFiles = join(files.path, restored);
      const run = await agent(
        "restore",
        "--db-url-env",
        targetEnv(restored),
        "--location",
        s3.location(),
        "--backup",
        record.name,
        "--filestore-dir",
        restoredFiles,
        "--quiet",
      );
      expect(run.code).toBe(0);
      expect(await filestoreDigest(restoredFiles)).toEqual(await filestoreDigest(filestore));
    } finally {
      delete process.env.ODOOOPS_S3_PART_SIZE;
    }
  });
});

describe("restore", () => {
  it("round-trips: identical rows and checksums in every table, identical filestore", async () => {
    await backup();
    const restored = `${prod.name}_rt`;
    const restoredFiles = join(files.path, restored);
    const run = await agent(
      "restore",
      "--db-url-env",
      targetEnv(restored),
      "--location",
      s3.location(),
      "--of-database",
      prod.name,
      "--filestore-dir",
      restoredFiles,
      "--json",
      "--quiet",
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ database: restored, verifiedBy: "sha256" });
    expect(await tableFingerprints(withDatabase(prod.url, restored))).toEqual(
      await tableFingerprints(prod.url),
    );
    expect(await filestoreDigest(restoredFiles)).toEqual(await filestoreDigest(filestore));
  });

  it("swaps the restored database in only at the end, keeping the one it replaced", async () => {
    const target = `${prod.name}_swap`;
    const env = targetEnv(target);
    expect(
      (
        await agent(
          "restore",
          "--db-url-env",
          env,
          "--location",
          s3.location(),
          "--of-database",
          prod.name,
          "--quiet",
        )
      ).code,
    ).toBe(0);
    await query(
      withDatabase(prod.url, target),
      "update res_partner set name = 'changed after restore' where id = 101",
    );
    const run = await agent(
      "restore",
      "--db-url-env",
      env,
      "--location",
      s3.location(),
      "--of-database",
      prod.name,
      "--json",
      "--quiet",
    );
    expect(run.code).toBe(0);
    const previous = JSON.parse(run.out).previous as string;
    cleanup.push(previous);
    expect(previous).toMatch(new RegExp(`^${target}__before_\\d{8}t\\d{6}z$`));
    expect(
      await query(withDatabase(prod.url, previous), "select name from res_partner where id = 101"),
    ).toEqual([{ name: "changed after restore" }]);
    expect(
      await query(withDatabase(prod.url, target), "select name from res_partner where id = 101"),
    ).not.toEqual([{ name: "changed after restore" }]);
  });

  it("refuses a corrupted, truncated or foreign zip before changing anything", async () => {
    const { record } = await backup();
    const target = `${prod.name}_guard`;
    const env = targetEnv(target);
    const targetFiles = join(files.path, target);
    expect(
      (
        await agent(
          "restore",
          "--db-url-env",
          env,
          "--location",
          s3.location(),
          "--backup",
          record.name,
          "--filestore-dir",
          targetFiles,
          "--quiet",
        )
      ).code,
    ).toBe(0);
    const before = await tableFingerprints(withDatabase(prod.url, target));
    const filesBefore = await filestoreDigest(targetFiles);
    const dir = tempDir("bad");
    try {
      const good = readFileSync(await download(record.name, dir.path));
      const flipped = Buffer.from(good);
      flipped[Math.floor(good.length / 3)]! ^= 0xff;
      const cases: [string, Buffer, boolean, RegExp][] = [
        ["flipped.zip", flipped, true, /does not match its record .* corrupted or truncated/],
        ["flipped-alone.zip", flipped, false, /fails its CRC-32 check|is damaged|invalid/],
        [
          "truncated.zip",
          good.subarray(0, Math.floor(good.length / 2)),
          false,
          /is not a readable zip archive/,
        ],
      ];
      const foreign = new yazl.ZipFile();
      foreign.addBuffer(Buffer.from("hello"), "README.txt");
      foreign.end();
      const chunks: Buffer[] = [];
      for await (const c of foreign.outputStream) chunks.push(c as Buffer);
      cases.push([
        "foreign.zip",
        Buffer.concat(chunks),
        false,
        /has no dump\.sql: it is not an Odoo database-manager backup/,
      ]);
      for (const [name, bytes, withRecord, message] of cases) {
        const path = join(dir.path, name);
        writeFileSync(path, bytes);
        if (withRecord)
          writeFileSync(path.replace(/\.zip$/, ".json"), readFileSync(join(dir.path, "backup.json")));
        const run = await agent(
          "restore",
          "--db-url-env",
          env,
          "--file",
          path,
          "--filestore-dir",
          targetFiles,
          "--quiet",
        );
        expect(run.code, name).toBe(2);
        expect(run.err, name).toMatch(message);
      }
      // The same corruption in the bucket itself.
      const store = openStore(s3.location());
      await store.upload(`${record.name}.zip`, (await import("node:stream")).Readable.from([flipped]));
      const run = await agent(
        "restore",
        "--db-url-env",
        env,
        "--location",
        s3.location(),
        "--backup",
        record.name,
        "--quiet",
      );
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/does not match its record/);
      await store.remove([`${record.name}.zip`, `${record.name}.json`]);
    } finally {
      dir.remove();
    }
    expect(await tableFingerprints(withDatabase(prod.url, target))).toEqual(before);
    expect(await filestoreDigest(targetFiles)).toEqual(filesBefore);
    expect(await databaseExists(server, `${target}__restoring`)).toBe(false);
    expect(existsSync(`${targetFiles}.restoring`)).toBe(false);
  });

  it("restores any Odoo database-manager zip, proving it intact entry by entry", async () => {
    const dir = tempDir("odoo-zip");
    try {
      // Built the way Odoo's database manager builds it: pg_dump --no-owner, manifest.json, filestore/.
      const dump = startPgTool("pg_dump", ["--no-owner"], prod.url);
      const zip = new yazl.ZipFile();
      zip.addReadStream(dump.child.stdout!, "dump.sql");
      zip.addBuffer(
        Buffer.from(
          JSON.stringify({
            odoo_dump: "1",
            db_name: prod.name,
            version: "17.0",
            version_info: [17, 0, 0, "final", 0, ""],
            major_version: "17.0",
            pg_version: "15.0",
            modules: { base: "17.0.1.3" },
          }),
        ),
        "manifest.json",
      );
      for (const f of await listFilestore(filestore)) zip.addFile(f.absolute, `filestore/${f.path}`);
      zip.end();
      const path = join(dir.path, "odoo-backup.zip");
      await Promise.all([pipeline(zip.outputStream, createWriteStream(path)), dump.exited]);
      const target = `${prod.name}_odoo`;
      const run = await agent(
        "restore",
        "--db-url-env",
        targetEnv(target),
        "--file",
        path,
        "--filestore-dir",
        join(files.path, target),
        "--json",
        "--quiet",
      );
      expect(run.err).toBe("");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.out)).toMatchObject({ verifiedBy: "crc32" });
      const { ir_config_parameter: _a, ...restored } = await tableFingerprints(
        withDatabase(prod.url, target),
      );
      const { ir_config_parameter: _b, ...original } = await tableFingerprints(prod.url);
      expect(restored).toEqual(original);
    } finally {
      dir.remove();
    }
  });

  it("neutralizes and masks a restore outside production", async () => {
    const target = `${prod.name}_stg`;
    const env = targetEnv(target);
    const refused = await agent(
      "restore",
      "--db-url-env",
      env,
      "--location",
      s3.location(),
      "--of-database",
      prod.name,
      "--mask",
      "default",
    );
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/need --stage staging or --stage development/);
    const run = await agent(
      "restore",
      "--db-url-env",
      env,
      "--location",
      s3.location(),
      "--of-database",
      prod.name,
      "--stage",
      "staging",
      "--mask",
      "default",
      "--neutralize",
      "--base-url",
      "https://stg.example.com",
      "--mailpit-host",
      "mailpit",
      "--quiet",
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const url = withDatabase(prod.url, target);
    expect(await findValues(url, await sourcePii(prod.url))).toEqual([]);
    expect(await query(url, "select smtp_host from ir_mail_server where active")).toEqual([
      { smtp_host: "mailpit" },
    ]);
    expect(await query(url, "select value from ir_config_parameter where key = 'odooops.stage'")).toEqual([
      { value: "staging" },
    ]);
  });
});

describe("clone from a backup", () => {
  it("fills the build's empty database from production's newest backup, masked and neutralized, filestore included", async () => {
    await backup();
    const target = `${prod.name}_build`;
    cleanup.push(target);
    await query(server, `create database "${target}"`); // provisioned empty by the platform
    const targetFiles = join(files.path, target);
    const run = await agent(
      "clone",
      "--source-url-env",
      envVar(s3.location(), "CLONE_SOURCE"),
      "--target-db",
      target,
      "--target-url-env",
      envVar(withDatabase(prod.url, "postgres"), "STAGING_SERVER"),
      "--mask",
      "default",
      "--neutralize",
      "--base-url",
      "https://build.example.com",
      "--mailpit-host",
      "mailpit",
      "--filestore-dir",
      targetFiles,
      "--json",
      "--quiet",
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({
      target,
      stage: "staging",
      filestore: { files: (await listFilestore(filestore)).length },
    });
    const url = withDatabase(prod.url, target);
    expect(await findValues(url, await sourcePii(prod.url))).toEqual([]);
    expect(await filestoreDigest(targetFiles)).toEqual(await filestoreDigest(filestore));
    expect(await query(url, "select value from ir_config_parameter where key = 'web.base.url'")).toEqual([
      { value: "https://build.example.com" },
    ]);
  });
});

describe("drill", () => {
  it("restores the newest backup into a scratch database, checks it, drops it and records evidence", async () => {
    await backup();
    const evidenceDir = tempDir("evidence");
    try {
      const evidenceFile = join(evidenceDir.path, "drill.json");
      const run = await agent(
        "drill",
        "--db-url-env",
        prodEnv,
        "--location",
        s3.location(),
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
        database: prod.name,
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
      const { drillEvidenceSchema } = await import("../../model/data-evidence.ts");
      expect(drillEvidenceSchema.safeParse(evidence).success).toBe(true);
      const scratch = await query(server, "select datname from pg_database where datname like '%drill%'");
      expect(scratch).toEqual([]);
    } finally {
      evidenceDir.remove();
    }
  });

  it("fails, with evidence, when the newest backup does not restore", async () => {
    const { record } = await backup();
    const store = openStore(s3.location());
    await store.upload(
      `${record.name}.zip`,
      (await import("node:stream")).Readable.from([Buffer.from("not a zip")]),
    );
    const run = await agent(
      "drill",
      "--db-url-env",
      prodEnv,
      "--location",
      s3.location(),
      "--json",
      "--quiet",
    );
    expect(run.code).toBe(1);
    const { evidence } = JSON.parse(run.out);
    expect(evidence.result).toBe("failed");
    expect(evidence.checks).toEqual([
      { name: "restore", ok: false, detail: expect.stringMatching(/does not match its record/) },
    ]);
    await store.remove([`${record.name}.zip`, `${record.name}.json`]);
  });
});

it("keeps every secret out of its output", async () => {
  process.env.ODOOOPS_SECRET_URL = prod.url.replace("postgres@", "postgres:hunter2-secret@");
  const run = await agent(
    "backup",
    "--db-url-env",
    "ODOOOPS_SECRET_URL",
    "--location",
    s3.location(),
    "--filestore-dir",
    filestore,
  );
  expect(run.code).toBe(0);
  expect(`${run.out}${run.err}`).not.toMatch(/hunter2|S3RVER/);
  expect(await readdir(files.path)).toContain(prod.name);
  mkdirSync(join(files.path, "unused"), { recursive: true });
});
