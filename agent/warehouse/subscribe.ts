import type pg from "pg";
import {
  columnDefinition,
  quoteIdent,
  REPLICA_KEY,
  type SourceColumn,
  type WarehouseNames,
  warehouseNames,
} from "../../model/plan/warehouse.ts";
import { AgentInputError } from "../errors.ts";
import { withClient, withDatabase } from "../pg/connection.ts";

/** What the publication sends, read from production with the replication login itself. */
async function publishedColumns(
  replicatorUrl: string,
  publication: string,
): Promise<Map<string, SourceColumn[]>> {
  return withClient(
    replicatorUrl,
    async (client) => {
      const { rows } = await client.query<{ table: string; name: string; type: string }>(
        `select p.tablename as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type
           from pg_publication_tables p
           join pg_attribute a on a.attrelid = format('%I.%I', p.schemaname, p.tablename)::regclass
          where p.pubname = $1 and p.schemaname = 'public' and a.attname = any(p.attnames)
          order by p.tablename, a.attnum`,
        [publication],
      );
      const tables = new Map<string, SourceColumn[]>();
      for (const r of rows)
        tables.set(r.table, [...(tables.get(r.table) ?? []), { name: r.name, type: r.type }]);
      return tables;
    },
    { readOnly: true },
  );
}

/**
 * Each copied table as the publication sends it: created when new, columns the publication no longer
 * sends dropped (a column a stricter mask profile now hides leaves the warehouse too), read by the
 * tenant's analysts only, under row-level security that admits that group alone.
 */
async function shapeTable(client: pg.Client, names: WarehouseNames, table: string, columns: SourceColumn[]) {
  const qualified = `public.${quoteIdent(table)}`;
  const analyst = quoteIdent(names.analystRole);
  await client.query(
    `create table if not exists ${qualified} (${columns.map(columnDefinition).join(", ")}, primary key (${quoteIdent(REPLICA_KEY)}))`,
  );
  for (const column of columns)
    await client.query(`alter table ${qualified} add column if not exists ${columnDefinition(column)}`);
  const { rows } = await client.query<{ name: string }>(
    `select attname as name from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
    [qualified],
  );
  const sent = new Set(columns.map((c) => c.name));
  for (const { name } of rows.filter((r) => !sent.has(r.name)))
    await client.query(`alter table ${qualified} drop column ${quoteIdent(name)}`);
  await client.query(`alter table ${qualified} enable row level security`);
  await client.query(`alter table ${qualified} force row level security`);
  const policy = quoteIdent(`tenant analysts read ${table}`.slice(0, 63));
  await client.query(`drop policy if exists ${policy} on ${qualified}`);
  await client.query(`create policy ${policy} on ${qualified} for select to ${analyst} using (true)`);
  await client.query(`revoke all on table ${qualified} from public`);
  await client.query(`grant select on table ${qualified} to ${analyst}`);
}

export interface SubscribeResult {
  database: string;
  subscription: string;
  analystRole: string;
  tables: string[];
}

/**
 * On the warehouse, as its admin: the tenant's database, its tables, the analysts' group and the
 * subscription. The database and subscription are made outside a transaction (PostgreSQL requires it);
 * everything between them is one transaction.
 */
export async function subscribeWarehouse(
  warehouseAdminUrl: string,
  project: string,
  replicatorUrl: string,
): Promise<SubscribeResult> {
  const names = warehouseNames(project);
  const tables = await publishedColumns(replicatorUrl, names.publication);
  if (tables.size === 0)
    throw new AgentInputError(
      `production has no publication ${names.publication} with tables; run odooops warehouse publish first`,
    );
  await withClient(warehouseAdminUrl, async (admin) => {
    const db = await admin.query("select 1 from pg_database where datname = $1", [names.database]);
    if (!db.rowCount) await admin.query(`create database ${quoteIdent(names.database)}`);
    const role = await admin.query("select 1 from pg_roles where rolname = $1", [names.analystRole]);
    if (!role.rowCount) await admin.query(`create role ${quoteIdent(names.analystRole)} nologin`);
  });
  await withClient(withDatabase(warehouseAdminUrl, names.database), async (client) => {
    await client.query("begin");
    try {
      const database = quoteIdent(names.database);
      await client.query(`revoke all on database ${database} from public`);
      await client.query(`grant connect on database ${database} to ${quoteIdent(names.analystRole)}`);
      await client.query("revoke create on schema public from public");
      for (const [table, columns] of tables) await shapeTable(client, names, table, columns);
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw error;
    }
    const subscription = quoteIdent(names.subscription);
    const conninfo = client.escapeLiteral(replicatorUrl);
    const existing = await client.query("select 1 from pg_subscription where subname = $1", [
      names.subscription,
    ]);
    if (existing.rowCount) {
      await client.query(`alter subscription ${subscription} connection ${conninfo}`);
      await client.query(`alter subscription ${subscription} refresh publication`);
    } else
      await client.query(
        `create subscription ${subscription} connection ${conninfo} publication ${quoteIdent(names.publication)}`,
      );
  });
  return {
    database: names.database,
    subscription: names.subscription,
    analystRole: names.analystRole,
    tables: [...tables.keys()],
  };
}
