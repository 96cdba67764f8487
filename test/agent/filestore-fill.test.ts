import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { listFilestore } from "../../agent/archive/filestore.ts";
import { openStore } from "../../agent/storage/open.ts";
import {
  agent,
  backupArgv,
  envVar,
  type OdooDb,
  odooDatabase,
  type S3Server,
  s3Server,
  tempDir,
} from "./support.ts";

/** `odooops agent filestore`: a fork's database comes from DigitalOcean, its files from our backup. */

let s3: S3Server;
let prod: OdooDb;
let prodEnv: string;
let files: ReturnType<typeof tempDir>;
let work: ReturnType<typeof tempDir>;
let filestore: string;
let sourceEnv: string;
let older: { name: string; digest: Record<string, string> };
let newest: { name: string; digest: Record<string, string> };

async function filestoreDigest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFilestore(dir))
    out[f.path] = createHash("sha256").update(readFileSync(f.absolute)).digest("hex");
  return out;
}

async function backup(kind: string): Promise<string> {
  const run = await agent(...backupArgv(prodEnv, s3.location(), filestore, "--kind", kind));
  expect(run.err).toBe("");
  expect(run.code).toBe(0);
  return (JSON.parse(run.out) as { record: { name: string } }).record.name;
}

let targets = 0;
/** A filestore path the way a host lays it out: `<data_dir>/filestore/<database>`, not created yet. */
function target(): string {
  return join(work.path, `data-${targets++}`, "filestore", prod.name);
}

/** Nothing at the target nor beside it: no half-written copy, no work directory, nothing moved aside. */
function untouched(dir: string): void {
  expect(existsSync(dir)).toBe(false);
  expect(existsSync(dirname(dir)) ? readdirSync(dirname(dir)) : []).toEqual([]);
}

beforeAll(async () => {
  delete process.env.ODOOOPS_STAGE;
  s3 = await s3Server();
  files = tempDir("fill-prod");
  work = tempDir("fill-target");
  prod = await odooDatabase("fill", { partners: 20, filestoreRoot: files.path, attachments: 12 });
  filestore = join(files.path, prod.name);
  prodEnv = envVar(prod.url, "PROD");
  sourceEnv = envVar(s3.location(), "CLONE_SOURCE");
  older = { name: await backup("manual"), digest: await filestoreDigest(filestore) };
  // An attachment added after the first backup: only the newest one holds it.
  mkdirSync(join(filestore, "ff"), { recursive: true });
  writeFileSync(join(filestore, "ff", `ff${"0".repeat(38)}`), "added later\n");
  newest = { name: await backup("scheduled"), digest: await filestoreDigest(filestore) };
});

afterAll(async () => {
  await prod?.drop();
  await s3?.close();
  files?.remove();
  work?.remove();
});

describe("agent filestore", () => {
  it("fills a filestore from production's newest backup in the bucket, files identical", async () => {
    const dir = target();
    const run = await agent(
      "filestore",
      "--source-url-env",
      sourceEnv,
      "--filestore-dir",
      dir,
      "--json",
      "--quiet",
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({
      backup: `${s3.location()}${newest.name}.zip`,
      verifiedBy: "sha256",
      filestoreDir: dir,
      files: 13,
      replaced: false,
    });
    expect(await filestoreDigest(dir)).toEqual(newest.digest);
    expect(readdirSync(dirname(dir))).toEqual([prod.name]);
  });

  it("fills from a named backup, and prints a summary line", async () => {
    const dir = target();
    const run = await agent(
      "filestore",
      "--source-url-env",
      sourceEnv,
      "--source-backup",
      older.name,
      "--filestore-dir",
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.out.trim()).toMatch(
      new RegExp(`^filled ${dir} from s3://.*/${older.name}\\.zip: 12 files, .* \\(verified by sha256\\)$`),
    );
    expect(await filestoreDigest(dir)).toEqual(older.digest);
    expect(Object.keys(newest.digest)).toHaveLength(Object.keys(older.digest).length + 1);
  });

  it("fills from a zip on disk, checked against the record beside it", async () => {
    const disk = tempDir("fill-zip");
    try {
      const store = await openStore(s3.location());
      const zip = join(disk.path, "backup.zip");
      await pipeline((await store.read(`${newest.name}.zip`)).body, createWriteStream(zip));
      writeFileSync(join(disk.path, "backup.json"), (await store.getText(`${newest.name}.json`))!);
      const dir = target();
      const run = await agent("filestore", "--source-file", zip, "--filestore-dir", dir, "--json", "--quiet");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.out)).toMatchObject({ verifiedBy: "sha256", files: 13 });
      expect(await filestoreDigest(dir)).toEqual(newest.digest);
    } finally {
      disk.remove();
    }
  });

  it("refuses a corrupted backup before writing anything", async () => {
    // A copy of the newest backup under another prefix, one byte flipped, its record intact.
    const store = await openStore(s3.location());
    const chunks: Buffer[] = [];
    for await (const c of (await store.read(`${newest.name}.zip`)).body) chunks.push(c as Buffer);
    const flipped = Buffer.concat(chunks);
    flipped[Math.floor(flipped.length / 2)]! ^= 0xff;
    const corrupt = await openStore(s3.location("corrupt/"));
    await corrupt.upload(`${newest.name}.zip`, Readable.from([flipped]));
    await corrupt.putText(`${newest.name}.json`, (await store.getText(`${newest.name}.json`))!);
    const dir = target();
    const run = await agent(
      "filestore",
      "--source-url-env",
      envVar(s3.location("corrupt/"), "CORRUPT"),
      "--filestore-dir",
      dir,
      "--quiet",
    );
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/does not match its record .* corrupted or truncated/);
    untouched(dir);
  });

  it("refuses an unknown backup, and a location without one, before writing anything", async () => {
    const dir = target();
    const unknown = await agent(
      "filestore",
      "--source-url-env",
      sourceEnv,
      "--source-backup",
      `${prod.name}/20000101T000000Z-manual`,
      "--filestore-dir",
      dir,
      "--quiet",
    );
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/20000101T000000Z-manual\.json is missing: the backup is incomplete/);
    const empty = await agent(
      "filestore",
      "--source-url-env",
      envVar(s3.location("nothing-here/"), "EMPTY"),
      "--filestore-dir",
      dir,
      "--quiet",
    );
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/no finished backup in s3:\/\/.*\/nothing-here\//);
    untouched(dir);
  });

  it("refuses a zip whose filestore differs from what its odooops.json counted", async () => {
    const disk = tempDir("fill-facts");
    try {
      const zip = new yazl.ZipFile();
      const manifest = {
        odoo_dump: "1",
        db_name: "shop",
        version: "17.0",
        major_version: "17.0",
        pg_version: "15.0",
        modules: { base: "17.0.1.3" },
      };
      zip.addBuffer(Buffer.from(JSON.stringify(manifest)), "manifest.json");
      const dump = Buffer.from("-- PostgreSQL database dump\nSELECT 1;\n");
      zip.addBuffer(dump, "dump.sql");
      zip.addBuffer(Buffer.from("one file"), "filestore/ab/abcdef");
      // The dump matches its checksum, so the filestore count is what is refused.
      const facts = {
        format: "odooops-dump/1",
        dump: { bytes: dump.length, sha256: createHash("sha256").update(dump).digest("hex") },
        tables: {},
        filestore: { files: 2, bytes: 16 },
      };
      zip.addBuffer(Buffer.from(JSON.stringify(facts)), "odooops.json");
      zip.end();
      const path = join(disk.path, "foreign.zip");
      await pipeline(zip.outputStream, createWriteStream(path));
      const dir = target();
      const run = await agent("filestore", "--source-file", path, "--filestore-dir", dir, "--quiet");
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/its filestore \(1 files, 8 bytes\) does not match odooops\.json \(2 files/);
      untouched(dir);
    } finally {
      disk.remove();
    }
  });

  it("refuses a filled directory, replaces it only when asked, and never on a production host", async () => {
    const dir = target();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "previous-build"), "kept\n");
    const fill = (...extra: string[]) =>
      agent("filestore", "--source-url-env", sourceEnv, "--filestore-dir", dir, "--quiet", ...extra);
    const refused = await fill();
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/is not empty; a fill never overwrites files/);
    process.env.ODOOOPS_STAGE = "production";
    try {
      const production = await fill("--replace");
      expect(production.code).toBe(1);
      expect(production.err).toMatch(/refusing to replace .* on a production host/);
    } finally {
      delete process.env.ODOOOPS_STAGE;
    }
    expect(readdirSync(dirname(dir))).toEqual([prod.name]);
    expect(readdirSync(dir)).toEqual(["previous-build"]);
    const replaced = await fill("--replace", "--json");
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.out)).toMatchObject({ replaced: true, files: 13 });
    expect(await filestoreDigest(dir)).toEqual(newest.digest);
    // The previous files went aside only for the swap.
    expect(readdirSync(dirname(dir))).toEqual([prod.name]);
  });

  it("takes over its own unfinished copy, and leaves anyone else's alone", async () => {
    const dir = target();
    const leftover = `${dir}.odooops-fill`;
    mkdirSync(join(leftover, "files", "ab"), { recursive: true });
    writeFileSync(join(leftover, "ODOOOPS-UNFINISHED-FILL"), "unfinished fill\n");
    writeFileSync(join(leftover, "files", "ab", "half-written"), "half");
    const run = await agent("filestore", "--source-url-env", sourceEnv, "--filestore-dir", dir, "--quiet");
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(await filestoreDigest(dir)).toEqual(newest.digest);
    expect(existsSync(leftover)).toBe(false);

    const other = target();
    const foreign = `${other}.odooops-fill`;
    mkdirSync(foreign, { recursive: true });
    writeFileSync(join(foreign, "someone-elses"), "data\n");
    const refused = await agent(
      "filestore",
      "--source-url-env",
      sourceEnv,
      "--filestore-dir",
      other,
      "--quiet",
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/exists and is not an unfinished fill of odooops/);
    expect(readdirSync(foreign)).toEqual(["someone-elses"]);
    expect(existsSync(other)).toBe(false);
  });

  it("refuses a database URL as its source", async () => {
    const run = await agent("filestore", "--source-url-env", prodEnv, "--filestore-dir", target(), "--quiet");
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/holds a database URL; a filestore comes from a backup location/);
  });
});
