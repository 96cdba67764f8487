import { rm } from "node:fs/promises";
import { assertDumpMatchesFacts, extractFilestore, readEntry } from "../archive/read-zip.ts";
import { type MaskedTable, maskingDump } from "../mask/dump-masker.ts";
import type { MaskRun } from "../mask/run-context.ts";
import { loadSql } from "../pg/load.ts";
import { Progress, type Reporter } from "../progress.ts";
import { DumpStream } from "../sql-stream/dump-stream.ts";
import type { FetchedBackup } from "./fetch.ts";

export interface LoadedBackup {
  masked: MaskedTable[];
  filestore: { files: number; bytes: number } | undefined;
}

/**
 * Streams a backup's dump.sql into the (empty) database at `url`, masking it on the way when a mask run
 * is given, and writes its filestore to `filestoreDir`.
 */
export async function loadBackup(
  backup: FetchedBackup,
  url: string,
  options: { mask: MaskRun | undefined; filestoreDir: string | undefined; reporter: Reporter },
): Promise<LoadedBackup> {
  const progress = new Progress(options.reporter, "restore", {
    bytes: backup.zip.dump.uncompressedSize,
    exact: true,
  });
  const { stream, verified } = await readEntry(backup.zip, backup.zip.dump, (n) => progress.add(n));
  const dumpRead = verified.then(
    () =>
      options.reporter.progress(
        `${progress.line()}; all data read, PostgreSQL is building indexes and constraints`,
      ),
    () => undefined,
  );
  const mask = options.mask;
  let masked: MaskedTable[] = [];
  if (mask)
    masked = await maskingDump(mask, async (masker) => {
      await loadSql(url, stream, [new DumpStream(masker)], undefined, { untrusted: true });
      return masker.tables;
    });
  else await loadSql(url, stream, [], undefined, { untrusted: true });
  await dumpRead;
  // Checked again as it streams (the zip was proven before, this costs nothing): the caller discards
  // the copy if the file changed on disk in between.
  assertDumpMatchesFacts(backup.zip, await verified);
  let filestore: LoadedBackup["filestore"];
  if (options.filestoreDir) {
    await rm(options.filestoreDir, { recursive: true, force: true });
    filestore = await extractFilestore(backup.zip, options.filestoreDir);
  }
  options.reporter.progress(progress.line());
  return { masked, filestore };
}
