import pg from "pg";
import type { ControlPlaneDatabase } from "../support/database.ts";
import type { Person } from "../support/fixtures.ts";

/** An API role as PostgREST presents it: the database role it sets, and the JWT claims it passes on. */
export type Caller =
  | { role: "anon" }
  | { role: "service_role" }
  | { role: "authenticated"; sub: string; claims?: Record<string, unknown> };

export const member = (p: Person): Caller => ({ role: "authenticated", sub: p.userId });

/**
 * A session of its own, talking SQL exactly as PostgREST would for `caller`: every statement runs in a
 * transaction with `set local role` and `request.jwt.claims`. Notices raised by anything the attacker
 * planted are collected, so a test can tell whether planted code ran and as whom.
 */
export interface AttackerSession {
  notices: string[];
  /** Runs `sql` as the caller; resolves to the rows, or to the error PostgreSQL answered with. */
  run(
    sql: string,
    values?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[] } | { error: pg.DatabaseError }>;
  close(): Promise<void>;
}

export async function attackerSession(db: ControlPlaneDatabase, caller: Caller): Promise<AttackerSession> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const notices: string[] = [];
  client.on("notice", (n) => notices.push(n.message ?? ""));
  const claims =
    caller.role === "authenticated"
      ? { role: caller.role, sub: caller.sub, ...caller.claims }
      : { role: caller.role };
  return {
    notices,
    run: async (sql, values) => {
      await client.query("begin");
      try {
        await client.query(`set local role ${caller.role}`);
        await client.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
        const result = await client.query(sql, values);
        await client.query("commit");
        return { rows: result.rows };
      } catch (error) {
        await client.query("rollback");
        if (error instanceof pg.DatabaseError) return { error };
        throw error;
      }
    },
    close: () => client.end(),
  };
}

/** The rows of a call that must succeed; throws with PostgreSQL's message otherwise. */
export function rowsOf(result: Awaited<ReturnType<AttackerSession["run"]>>): Record<string, unknown>[] {
  if ("error" in result)
    throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.rows;
}

/** The error of a call that must be refused. */
export function errorOf(result: Awaited<ReturnType<AttackerSession["run"]>>): pg.DatabaseError {
  if (!("error" in result)) throw new Error(`expected a refusal, got ${JSON.stringify(result.rows)}`);
  return result.error;
}
