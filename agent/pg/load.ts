import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { errorMessage } from "../errors.ts";
import { loadStatementParser, SHARED_CATALOG_CHECK } from "./dump-statements.ts";
import { explainRestricted, restrictedPsqlInput, untrustedDumpInput } from "./restricted-input.ts";
import { type PgProcess, startPgTool } from "./tools.ts";

/**
 * Wraps a SQL stream in BEGIN … COMMIT, the COMMIT written only when the stream ended normally. A load
 * cut short (source failed, process killed) therefore ends without COMMIT and psql's session rolls back:
 * psql's own --single-transaction would commit whatever it had read when its input closes.
 */
function transaction(sourceDone: Promise<void>, beforeCommit: string): Transform {
  let begun = false;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      if (!begun) {
        begun = true;
        this.push("BEGIN;\n");
      }
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      // The producer (pg_dump) must have succeeded too: a dump that stopped between two statements
      // still ends cleanly, and would otherwise commit half a database.
      sourceDone.then(
        () => done(null, `${begun ? "" : "BEGIN;\n"}${beforeCommit}COMMIT;\n`),
        (error: Error) => done(error),
      );
    },
  });
}

/**
 * Runs a plain SQL dump through psql into `url` as one transaction, stopping at the first error.
 * `sourceDone` is the producer's exit: the transaction commits only once it resolved, and only when
 * nothing in it (a trigger of the database firing as rows arrive included) wrote to what every database
 * of the server shares (SHARED_CATALOG_CHECK). An `untrusted` dump (a zip's dump.sql) runs only
 * statements pg_dump writes, each judged before psql gets it (agent/pg/dump-statements.ts).
 */
export async function loadSql(
  url: string,
  source: Readable,
  transforms: readonly Transform[] = [],
  sourceDone: Promise<void> = Promise.resolve(),
  options: { untrusted?: boolean } = {},
): Promise<void> {
  const commit = transaction(sourceDone, SHARED_CATALOG_CHECK);
  if (!options.untrusted) return runPsql(url, source, [...transforms, commit]);
  await loadStatementParser();
  await runPsql(url, source, [...transforms, commit], untrustedDumpInput());
}

/**
 * Runs SQL statement by statement, each committed on its own, stopping at the first error: for a copy's
 * indexes and constraints built while another session reads its tables (one long transaction would hold
 * every lock it took until the end). The caller discards the database when this fails.
 */
export async function runSqlStatements(url: string, source: Readable): Promise<void> {
  await runPsql(url, source, []);
}

/** Every SQL stream reaches psql through here, in restricted mode: no backslash command of it runs. */
async function runPsql(
  url: string,
  source: Readable,
  transforms: readonly Transform[],
  input: Transform = restrictedPsqlInput(),
): Promise<void> {
  const psql = startPgTool("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"], url, {
    stdin: "pipe",
    stdout: "ignore",
  });
  try {
    await settle(psql, pipeline([source, input, ...transforms, psql.child.stdin!]));
  } catch (error) {
    throw explainRestricted(error);
  }
}

/** Feeds text pieces (e.g. COPY data built in memory) to psql. */
export async function runSql(url: string, pieces: Iterable<string>): Promise<void> {
  await loadSql(url, Readable.from(pieces));
}

/**
 * Waits for a tool and the stream feeding it. When the tool dies early the pipe breaks too; the tool's
 * message is the one worth reporting, so it wins.
 */
export async function settle(tool: PgProcess, flow: Promise<unknown>): Promise<void> {
  const [streamed, exited] = await Promise.allSettled([flow, tool.exited]);
  if (exited.status === "rejected") throw exited.reason;
  if (streamed.status === "rejected") {
    tool.child.kill();
    throw streamed.reason instanceof Error ? streamed.reason : new Error(errorMessage(streamed.reason));
  }
}
