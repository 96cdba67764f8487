import type pg from "pg";
import {
  publicationTableList,
  publishedTables,
  quoteIdent,
  type SourceColumn,
  type WarehouseSettings,
  warehouseNames,
} from "../../model/plan/warehouse.ts";
import { AgentInputError } from "../errors.ts";
import { withClient } from "../pg/connection.ts";

/** Columns of the named tables of `public`, as format_type writes their types. */
export async function readSourceColumns(
  client: pg.Client,
  tables: readonly string[],
): Promise<Map<string, SourceColumn[]>> {
  const { rows } = await client.query<{ table: string; name: string; type: string }>(
    `select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relname = any($1)
        and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      order by c.relname, a.attnum`,
    [tables],
  );
  const columns = new Map<string, SourceColumn[]>();
  for (const row of rows)
    columns.set(row.table, [...(columns.get(row.table) ?? []), { name: row.name, type: row.type }]);
  return columns;
}

/** A model rule's refusal is the caller's mistake: exit 2, one line. */
export function asInputError<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    throw new AgentInputError(error instanceof Error ? error.message : String(error));
  }
}

export interface PublishResult {
  publication: string;
  replicationRole: string;
  tables: { table: string; columns: string[] }[];
}

/**
 * On production's database, as a role that owns Odoo's tables and may create roles: the publication of
 * the declared tables without their personal columns, and the login the warehouse subscribes with. That
 * login may read the published columns and nothing else (column grants), so its password opens no more
 * than the warehouse already receives. All in one transaction: a refused table leaves nothing changed.
 */
export async function publishWarehouse(
  sourceUrl: string,
  project: string,
  settings: WarehouseSettings,
  replicationPassword: string,
): Promise<PublishResult> {
  if (replicationPassword.length < 24)
    throw new AgentInputError("the replication password must be at least 24 characters");
  const names = warehouseNames(project);
  return withClient(sourceUrl, async (client) => {
    const columns = await readSourceColumns(client, settings.tables);
    const published = asInputError(() => publishedTables(settings, columns));
    const role = quoteIdent(names.replicationRole);
    await client.query("begin");
    try {
      const exists = await client.query("select 1 from pg_roles where rolname = $1", [names.replicationRole]);
      const verb = exists.rowCount ? "alter" : "create";
      const { rows } = await client.query<{ sql: string }>(
        `select format('${verb} role %I with login replication nosuperuser nocreatedb nocreaterole password %L', $1::text, $2::text) as sql`,
        [names.replicationRole, replicationPassword],
      );
      await client.query(rows[0]!.sql);
      await client.query(`grant usage on schema public to ${role}`);
      for (const { table, columns } of published) {
        // Revoking the table privilege also revokes every column privilege: columns a stricter profile
        // now hides are no longer readable.
        await client.query(`revoke all on table public.${quoteIdent(table)} from ${role}`);
        const list = columns.map((c) => quoteIdent(c.name)).join(", ");
        await client.query(`grant select (${list}) on table public.${quoteIdent(table)} to ${role}`);
      }
      const publication = await client.query("select 1 from pg_publication where pubname = $1", [
        names.publication,
      ]);
      const tableList = publicationTableList(published);
      await client.query(
        publication.rowCount
          ? `alter publication ${quoteIdent(names.publication)} set table ${tableList}`
          : `create publication ${quoteIdent(names.publication)} for table ${tableList}`,
      );
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
    return {
      publication: names.publication,
      replicationRole: names.replicationRole,
      tables: published.map(({ table, columns }) => ({ table, columns: columns.map((c) => c.name) })),
    };
  });
}
