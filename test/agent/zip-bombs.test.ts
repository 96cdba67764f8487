import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { extractFilestore, openBackupZip } from "../../agent/archive/read-zip.ts";
import { tempDir } from "./support.ts";

/** Zips that are small on disk and huge once written out: refused before the volume fills. */
let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir("zip-bombs");
});
afterAll(() => dir.remove());

const MANIFEST = JSON.stringify({
  odoo_dump: "1",
  db_name: "acme",
  version: "17.0",
  major_version: "17.0",
  pg_version: "15",
  modules: { base: "17.0.1.3" },
});

async function zipOf(files: Record<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(content, name, { compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const CENTRAL = 0x02014b50;
const END = 0x06054b50;

/** The central directory records of a zip (no zip64, no comment), as offsets into it. */
function centralRecords(zip: Buffer): { end: number; records: number[] } {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(zip.readUInt32LE(end)).toBe(END);
  const records: number[] = [];
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    expect(zip.readUInt32LE(at)).toBe(CENTRAL);
    records.push(at);
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return { end, records };
}

/** The zip with `copies` more names in its central directory for the data of its last entry. */
function withSharedData(zip: Buffer, copies: number): Buffer {
  const { end, records } = centralRecords(zip);
  const last = records.at(-1)!;
  const record = zip.subarray(last, end);
  const added = Array.from({ length: copies }, (_, i) => {
    const copy = Buffer.from(record);
    // Same length, another name: the last character of the name becomes a letter of its own.
    copy[46 + copy.readUInt16LE(28) - 1] = 0x41 + i;
    return copy;
  });
  const eocd = Buffer.from(zip.subarray(end));
  const count = records.length + copies;
  eocd.writeUInt16LE(count, 8);
  eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(eocd.readUInt32LE(12) + added.reduce((n, b) => n + b.length, 0), 12);
  return Buffer.concat([zip.subarray(0, end), ...added, eocd]);
}

describe("backup zips that expand without bound", () => {
  it("refuses names that share one entry's compressed data, before writing anything", async () => {
    const zip = await zipOf({
      "dump.sql": Buffer.from("SET statement_timeout = 0;\n"),
      "manifest.json": Buffer.from(MANIFEST),
      "filestore/00/k": Buffer.alloc(8 << 20),
    });
    const path = join(dir.path, "shared.zip");
    writeFileSync(path, withSharedData(zip, 16));
    await expect(openBackupZip(path)).rejects.toThrow(
      /filestore\/00\/k and filestore\/00\/[A-P] point at the same compressed data, which no zip tool writes/,
    );
  });

  it("opens the same zip without the extra names", async () => {
    const path = join(dir.path, "plain.zip");
    writeFileSync(
      path,
      await zipOf({
        "dump.sql": Buffer.from("SET statement_timeout = 0;\n"),
        "manifest.json": Buffer.from(MANIFEST),
        "filestore/00/k": Buffer.alloc(1 << 20),
        "filestore/00/l": Buffer.from("second"),
      }),
    );
    const backup = await openBackupZip(path);
    try {
      expect(await extractFilestore(backup, join(dir.path, "plain"))).toEqual({
        files: 2,
        bytes: (1 << 20) + 6,
      });
    } finally {
      backup.zip.close();
    }
  });

  it("refuses a filestore larger than the free space, before writing any of it", async () => {
    const files: Record<string, Buffer> = {
      "dump.sql": Buffer.from("SET statement_timeout = 0;\n"),
      "manifest.json": Buffer.from(MANIFEST),
    };
    for (let i = 0; i < 100; i++)
      files[`filestore/00/f${String(i).padStart(3, "0")}`] = Buffer.from(`file ${i}`);
    const zip = await zipOf(files);
    // Each file says it is almost 4 GiB: 400 GiB in all, more than this machine's disk.
    const { records } = centralRecords(zip);
    for (const at of records.slice(2)) zip.writeUInt32LE(0xfffffff0, at + 24);
    const path = join(dir.path, "large.zip");
    writeFileSync(path, zip);
    const backup = await openBackupZip(path);
    const target = join(dir.path, "large");
    try {
      await expect(extractFilestore(backup, target)).rejects.toThrow(
        new RegExp(
          `^the filestore needs ${100 * 0xfffffff0} bytes and ${target} has \\d+ free: nothing of it was written$`,
        ),
      );
      expect(readdirSync(target)).toEqual([]);
    } finally {
      backup.zip.close();
    }
  });
});
