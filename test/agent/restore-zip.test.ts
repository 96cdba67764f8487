import { createWriteStream, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import yazl from "yazl";
import { listFilestore } from "../../agent/archive/filestore.ts";
import { withDatabase } from "../../agent/pg/connection.ts";
import { startPgTool } from "../../agent/pg/tools.ts";
import { openStore } from "../../agent/storage/open.ts";
import { filestoreDigest, type ProductionWithBackups, productionWithBackups } from "./backup-support.ts";
import { agent, databaseExists, envVar, query, tableFingerprints, tempDir } from "./support.ts";

/** Restoring from zip files: damaged or foreign ones are refused untouched, Odoo's own are restored. */
let h: ProductionWithBackups;
beforeAll(async () => {
  h = await productionWithBackups("rz");
});
afterAll(() => h.close());

describe("restore", () => {
  it("refuses a corrupted, truncated or foreign zip before changing anything", async () => {
    const { record } = await h.backup();
    const target = `${h.prod.name}_guard`;
    const env = h.targetEnv(target);
    const targetFiles = join(h.files.path, target);
    expect(
      (
        await agent(
          "restore",
          "--db-url-env",
          env,
          "--location",
          h.s3.location(),
          "--backup",
          record.name,
          "--filestore-dir",
          targetFiles,
          "--quiet",
        )
      ).code,
    ).toBe(0);
    const before = await tableFingerprints(withDatabase(h.prod.url, target));
    const filesBefore = await filestoreDigest(targetFiles);
    const dir = tempDir("bad");
    try {
      const good = readFileSync(await h.download(record.name, dir.path));
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
      const store = await openStore(h.s3.location());
      await store.upload(`${record.name}.zip`, (await import("node:stream")).Readable.from([flipped]));
      const run = await agent(
        "restore",
        "--db-url-env",
        env,
        "--location",
        h.s3.location(),
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
    expect(await tableFingerprints(withDatabase(h.prod.url, target))).toEqual(before);
    expect(await filestoreDigest(targetFiles)).toEqual(filesBefore);
    expect(await databaseExists(h.server, `${target}__restoring`)).toBe(false);
    expect(existsSync(`${targetFiles}.restoring`)).toBe(false);
  });

  it("refuses a re-zipped backup whose dump changed by one byte, with or without its record, before creating anything", async () => {
    const { record } = await h.backup();
    const dir = tempDir("tampered");
    try {
      const original = await h.download(record.name, dir.path);
      const entries = await zipEntries(original);
      const dump = entries.get("dump.sql")!;
      // One byte of customer data, in a COPY row: still valid SQL, so only the checksum can tell.
      const at = dump.indexOf("@", dump.indexOf("\nCOPY public.res_partner "));
      expect(at).toBeGreaterThan(0);
      dump[at - 1] = dump[at - 1] === 0x78 ? 0x79 : 0x78;
      const tampered = join(dir.path, "tampered.zip");
      await writeZip(tampered, entries); // fresh, valid CRC-32s: only odooops.json's SHA-256 can tell
      const target = `${h.prod.name}_tampered`;
      const env = h.targetEnv(target);
      // A role that cannot create databases: had the agent got as far as creating one (to find out
      // later), it would fail with "permission denied" instead of naming the checksum.
      const role = `${h.prod.name}_nocreate`;
      await query(h.server, `create role "${role}" login nocreatedb password 'tamper-test'`);
      const asRole = new URL(withDatabase(h.prod.url, target));
      asRole.username = role;
      asRole.password = "tamper-test";
      const limitedEnv = envVar(asRole.toString(), "NOCREATE");
      const restore = await agent("restore", "--db-url-env", limitedEnv, "--file", tampered, "--quiet");
      expect(restore.code).toBe(2);
      expect(restore.err).toMatch(
        /tampered\.zip: dump\.sql does not match the checksum in odooops\.json .*: the dump was changed after the backup was made/,
      );
      const clone = await agent(
        "clone",
        "--source-file",
        tampered,
        "--target-db",
        `${target}_clone`,
        "--target-url-env",
        limitedEnv,
        "--stage",
        "production",
        "--quiet",
      );
      expect(clone.code).toBe(2);
      expect(clone.err).toMatch(/does not match the checksum in odooops\.json/);
      for (const name of [target, `${target}__restoring`, `${target}_clone`])
        expect(await databaseExists(h.server, name), name).toBe(false);
      // Its record beside it: refused by the zip's own SHA-256 first.
      writeFileSync(join(dir.path, "tampered.json"), readFileSync(join(dir.path, "backup.json")));
      const withRecord = await agent("restore", "--db-url-env", env, "--file", tampered, "--quiet");
      expect(withRecord.code).toBe(2);
      expect(withRecord.err).toMatch(/does not match its record/);
      expect(await databaseExists(h.server, target)).toBe(false);
      // The same zip re-made without the change restores: the check is not refusing every re-zip.
      dump[at - 1] = readZipByte(await zipEntries(original), at - 1);
      const remade = join(dir.path, "remade.zip");
      await writeZip(remade, entries);
      const ok = await agent("restore", "--db-url-env", env, "--file", remade, "--json", "--quiet");
      expect(ok.err).toBe("");
      expect(JSON.parse(ok.out)).toMatchObject({ verifiedBy: "dump-sha256" });
    } finally {
      await query(h.server, `drop role if exists "${h.prod.name}_nocreate"`);
      dir.remove();
    }
  });

  it("restores any Odoo database-manager zip, proving it intact entry by entry", async () => {
    const dir = tempDir("odoo-zip");
    try {
      // Built the way Odoo's database manager builds it: pg_dump --no-owner, manifest.json, filestore/.
      const dump = startPgTool("pg_dump", ["--no-owner"], h.prod.url);
      const zip = new yazl.ZipFile();
      zip.addReadStream(dump.child.stdout!, "dump.sql");
      zip.addBuffer(
        Buffer.from(
          JSON.stringify({
            odoo_dump: "1",
            db_name: h.prod.name,
            version: "17.0",
            version_info: [17, 0, 0, "final", 0, ""],
            major_version: "17.0",
            pg_version: "15.0",
            modules: { base: "17.0.1.3" },
          }),
        ),
        "manifest.json",
      );
      for (const f of await listFilestore(h.filestore)) zip.addFile(f.absolute, `filestore/${f.path}`);
      zip.end();
      const path = join(dir.path, "odoo-backup.zip");
      await Promise.all([pipeline(zip.outputStream, createWriteStream(path)), dump.exited]);
      const target = `${h.prod.name}_odoo`;
      const run = await agent(
        "restore",
        "--db-url-env",
        h.targetEnv(target),
        "--file",
        path,
        "--filestore-dir",
        join(h.files.path, target),
        "--json",
        "--quiet",
      );
      expect(run.err).toBe("");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.out)).toMatchObject({ verifiedBy: "crc32" });
      const { ir_config_parameter: _a, ...restored } = await tableFingerprints(
        withDatabase(h.prod.url, target),
      );
      const { ir_config_parameter: _b, ...original } = await tableFingerprints(h.prod.url);
      expect(restored).toEqual(original);
    } finally {
      dir.remove();
    }
  });
});

/** Every entry of a zip, by name, read into memory (test backups are small). */
async function zipEntries(path: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(path, { autoClose: false });
  const entries = new Map<string, Buffer>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith("/")) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      entries.set(entry.fileName, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return entries;
}

function readZipByte(entries: Map<string, Buffer>, at: number): number {
  return entries.get("dump.sql")![at]!;
}

async function writeZip(path: string, entries: Map<string, Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of entries) zip.addBuffer(content, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}
