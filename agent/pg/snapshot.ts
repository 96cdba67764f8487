import type pg from "pg";
import { connect } from "./connection.ts";

/** A snapshot of the source held open so that several pg_dump runs (`--snapshot`) see one state of it. */
export interface ExportedSnapshot {
  id: string;
  /** Ends the exporting transaction: call once every pg_dump given the id has exited. */
  release(): Promise<void>;
}

/**
 * Opens a read-only repeatable-read transaction on the source and exports its snapshot. Undefined when
 * the server cannot export one (a hot standby before PostgreSQL 10, a pooler in transaction mode): the
 * caller then dumps in one run.
 */
export async function exportSnapshot(url: string): Promise<ExportedSnapshot | undefined> {
  let client: pg.Client | undefined;
  try {
    client = await connect(url, { readOnly: true });
    await client.query("begin isolation level repeatable read read only");
    const { rows } = await client.query<{ id: string }>("select pg_export_snapshot() as id");
    const held = client;
    return {
      id: rows[0]!.id,
      release: async () => {
        await held.query("commit").catch(() => undefined);
        await held.end().catch(() => undefined);
      },
    };
  } catch {
    await client?.end().catch(() => undefined);
    return undefined;
  }
}
