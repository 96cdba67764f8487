import { createReadStream } from "node:fs";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";
import type { DumpFacts, OdooManifest } from "../../model/data/backup-record.ts";
import { DumpStream } from "../sql-stream/dump-stream.ts";
import { listFilestore } from "./filestore.ts";
import { Digest } from "./hashing.ts";

export interface ZipInput {
  /** pg_dump's plain output. */
  dump: Readable;
  /** Resolves when pg_dump exited successfully; the zip is only finished after that. */
  dumpExited: Promise<void>;
  manifest: OdooManifest;
  filestoreDir: string | undefined;
  /**
   * zlib level for dump.sql. 3 compresses SQL nearly as well as Odoo's 6 (108 vs 95 MB for a 670 MB
   * dump) at three times the speed, which keeps the backup as fast as pg_dump itself.
   */
  compressionLevel: number;
  /** What was running when the backup was taken: build and recent logs (absent from older zips). */
  origin: Pick<DumpFacts, "build" | "logs">;
  /** Called with the number of dump bytes as they stream. */
  onDumpBytes?: (bytes: number) => void;
}

export interface ZipResult {
  facts: DumpFacts;
}

/**
 * Builds an Odoo database-manager zip as a stream: manifest.json, dump.sql (compressed while pg_dump
 * writes it), filestore/ (stored: attachments are mostly compressed already), then odooops.json with
 * the dump's checksum and row counts. The output never ends unless pg_dump succeeded, so a failed dump
 * can only ever produce an aborted upload, not a backup.
 */
export function buildBackupZip(input: ZipInput): { output: Readable; done: Promise<ZipResult> } {
  const zip = new yazl.ZipFile();
  const tables: Record<string, number> = {};
  const inspector = new DumpStream({
    copyEnd: (header, rows) => {
      tables[`${header.schema}.${header.table}`] = rows;
    },
  });
  const digest = new Digest(input.onDumpBytes);
  const dumpEntry = new PassThrough();
  // Failures are reported once, through `done`; once the zip is abandoned these streams may still
  // emit their own copy of the error with nobody listening.
  for (const stream of [inspector, digest, dumpEntry]) stream.on("error", () => undefined);
  zip.addBuffer(Buffer.from(JSON.stringify(input.manifest, null, 4)), "manifest.json");
  zip.addReadStream(dumpEntry, "dump.sql", { compressionLevel: input.compressionLevel });
  const output = new PassThrough();
  // yazl reports a failed entry stream on the ZipFile itself; unheard, it would crash the process.
  (zip as unknown as NodeJS.EventEmitter).on("error", (error: Error) => output.destroy(error));
  zip.outputStream.on("error", (error) => output.destroy(error));
  zip.outputStream.pipe(output);

  const done = (async () => {
    try {
      const files = input.filestoreDir ? await listFilestore(input.filestoreDir) : [];
      for (const file of files)
        zip.addReadStreamLazy(
          `filestore/${file.path}`,
          { size: file.bytes, mtime: file.mtime, compress: false },
          (cb) => cb(null, createReadStream(file.absolute)),
        );
      await Promise.all([pipeline(input.dump, inspector, digest, dumpEntry), input.dumpExited]);
      const facts: DumpFacts = {
        format: "odooops-dump/1",
        dump: { bytes: digest.bytes, sha256: digest.sha256() },
        tables,
        filestore: { files: files.length, bytes: files.reduce((n, f) => n + f.bytes, 0) },
        ...(input.origin.build ? { build: input.origin.build } : {}),
        ...(input.origin.logs ? { logs: input.origin.logs } : {}),
      };
      zip.addBuffer(Buffer.from(JSON.stringify(facts, null, 2)), "odooops.json");
      zip.end();
      return { facts };
    } catch (error) {
      output.destroy(error as Error);
      throw error;
    }
  })();
  done.catch(() => undefined);
  return { output, done };
}
