import { randomBytes } from "node:crypto";
import { AgentError } from "../errors.ts";
import { DumpStream } from "../sql-stream/dump-stream.ts";

/** pg_dump's own `\restrict KEY` and `\unrestrict KEY` lines (PostgreSQL 15.14 and later). */
const DUMP_RESTRICT_LINE = /^\\(?:un)?restrict\s+\S+\s*$/;

/**
 * Puts psql in restricted mode before the first byte of SQL it runs, so that no backslash command in a
 * dump runs: psql executes `\! cmd`, `\o |cmd` or `\copy … to program` wherever they appear in its input,
 * and a crafted dump.sql (an uploaded Odoo zip, a changed backup) would otherwise run a shell in the
 * agent, beside the production and backup credentials. The key is drawn here and never written
 * anywhere else, so nothing in the dump can lift the restriction. psql refuses to nest restricted mode,
 * so pg_dump's own restrict lines are left out; the guard they gave is the one given here. A psql older
 * than 15.14 does not know `\restrict` and stops at once: the restore fails closed.
 */
export function restrictedPsqlInput(): DumpStream {
  const key = randomBytes(32).toString("hex");
  return new DumpStream({
    prologue: () => `\\restrict ${key}\n`,
    dropsLine: (line) => DUMP_RESTRICT_LINE.test(line),
  });
}

/** psql's words when restricted mode stopped a backslash command, and when it does not know the mode. */
const REFUSED = /backslash commands are restricted/;
const UNKNOWN = /invalid command \\restrict/;

/** The agent's own message for a psql failure caused by restricted mode; other errors unchanged. */
export function explainRestricted(error: unknown): unknown {
  const message = error instanceof Error ? error.message : "";
  if (REFUSED.test(message))
    return new AgentError(
      "the SQL holds a psql backslash command (such as \\! or \\copy), which the agent never runs: it did not run, and the load stopped there. pg_dump never writes one outside its \\restrict lines, so the dump was made or changed by something else",
      2,
    );
  if (UNKNOWN.test(message))
    return new AgentError(
      "this psql does not know \\restrict (PostgreSQL client 15.14 or later is needed to load a dump safely): install a current postgresql-client-15 or set ODOOOPS_PG_BIN",
    );
  return error;
}
