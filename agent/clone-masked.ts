import { Readable } from "node:stream";
import { type DumpMasker, type MaskedTable, maskingDump } from "./mask/dump-masker.ts";
import type { MaskRun } from "./mask/run-context.ts";
import { loadSql, runSqlStatements } from "./pg/load.ts";
import { exportSnapshot } from "./pg/snapshot.ts";
import { startPgTool } from "./pg/tools.ts";
import type { Progress, Reporter } from "./progress.ts";
import { DumpStream } from "./sql-stream/dump-stream.ts";

export interface MaskedCopy {
  bytes: number;
  masked: MaskedTable[];
  /**
   * The copy's indexes, constraints and triggers (pg_dump's post-data section), still to be built: the
   * caller runs this beside the leak scan, which needs only the rows. Undefined when the dump was one run.
   */
  buildIndexes: (() => Promise<void>) | undefined;
}

const DUMP = ["-Fp", "--no-owner", "--no-privileges"];

async function collect(stream: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks;
}

/**
 * Copies `sourceUrl` into `targetUrl` masking every row on the way (personal data is never written to
 * the copy). The tables and their rows are loaded in one transaction; the indexes and constraints come
 * from a second pg_dump of the same snapshot (a few kilobytes of DDL, held in memory) and are built by
 * the caller while the leak scan reads the rows, on the other core.
 */
export async function copyMasked(
  sourceUrl: string,
  targetUrl: string,
  mask: MaskRun,
  progress: Progress,
  reporter: Reporter,
): Promise<MaskedCopy> {
  return maskingDump(mask, (masker) => copyMaskedRows(sourceUrl, targetUrl, masker, progress, reporter));
}

async function copyMaskedRows(
  sourceUrl: string,
  targetUrl: string,
  masker: DumpMasker,
  progress: Progress,
  reporter: Reporter,
): Promise<MaskedCopy> {
  const snapshot = await exportSnapshot(sourceUrl);
  try {
    const pinned = snapshot ? [`--snapshot=${snapshot.id}`] : [];
    const post = snapshot
      ? startPgTool("pg_dump", [...DUMP, ...pinned, "--section=post-data"], sourceUrl)
      : undefined;
    const postSql = post ? collect(post.child.stdout!) : undefined;
    postSql?.catch(() => undefined);
    const sections = snapshot ? ["--section=pre-data", "--section=data"] : [];
    const dump = startPgTool("pg_dump", [...DUMP, ...pinned, ...sections], sourceUrl);
    dump.exited.then(
      () =>
        reporter.progress(
          `${progress.line()}; all data sent, PostgreSQL is ${snapshot ? "committing the rows" : "building indexes and constraints"}`,
        ),
      () => undefined,
    );
    await loadSql(targetUrl, dump.child.stdout!, [progress.meter(), new DumpStream(masker)], dump.exited);
    if (!post || !postSql)
      return { bytes: progress.transferred, masked: masker.tables, buildIndexes: undefined };
    const [chunks] = await Promise.all([postSql, post.exited]);
    return {
      bytes: progress.transferred,
      masked: masker.tables,
      buildIndexes: async () => {
        reporter.progress("clone: PostgreSQL is building indexes and constraints");
        await runSqlStatements(targetUrl, Readable.from(chunks));
      },
    };
  } finally {
    await snapshot?.release();
  }
}
