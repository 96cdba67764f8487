import { type MaskProfileName, maskRules } from "../data/masking.ts";
import type { WarehouseSettings } from "../input/schema/warehouse.ts";
import { shellLine } from "../shell.ts";

/**
 * Warehouse replication (seed 003, "Supabase receives near-real-time replicated data"): PostgreSQL
 * logical replication of a declared table set of production's database into the warehouse.
 *
 * One database per tenant on the warehouse server, not one schema: logical replication matches tables by
 * their schema-qualified name, so Odoo's `public.account_move` can only land in a `public.account_move`,
 * and two tenants' copies can only be kept apart by database. Analysts get a per-tenant group role that
 * may connect to that database only and read it only; row-level security on every copied table admits
 * that group alone, so a stray grant to another role still reads nothing.
 *
 * Personal data: every column the staging mask profile names is left out of the publication's column
 * list, so it never leaves the production server (masking on the warehouse would need the value to
 * travel there first).
 */

// The YAML block (`warehouse:`) is input; it lives with the project schema.
export { type WarehouseSettings, warehouseSchema, warehouseTable } from "../input/schema/warehouse.ts";

/** The primary key Odoo gives every table: the replica identity of every published table. */
export const REPLICA_KEY = "id";

export interface WarehouseNames {
  /** Publication on production's database. */
  publication: string;
  /** Subscription (and replication slot) on the warehouse, one per tenant. */
  subscription: string;
  /** The tenant's database on the warehouse server. */
  database: string;
  /** Login role on production used only by the subscription; reads the published columns only. */
  replicationRole: string;
  /** Group role of the tenant's analysts (and Superset's connection): read-only, this database only. */
  analystRole: string;
}

export function warehouseNames(project: string): WarehouseNames {
  const id = project.replaceAll("-", "_");
  return {
    publication: `odooops_warehouse_${id}`,
    subscription: `odooops_warehouse_${id}`,
    database: `tenant_${id}`,
    replicationRole: `odooops_replicator_${id}`,
    analystRole: `tenant_${id}_analyst`,
  };
}

/** Columns of each table that the mask profile forbids to leave production. */
export function excludedColumns(profile: MaskProfileName): Map<string, Set<string>> {
  const excluded = new Map<string, Set<string>>();
  for (const rule of maskRules(profile)) {
    const set = excluded.get(rule.table) ?? new Set<string>();
    set.add(rule.column);
    excluded.set(rule.table, set);
  }
  return excluded;
}

export interface SourceColumn {
  name: string;
  /** As format_type writes it: `integer`, `character varying`, `jsonb`, `numeric`. */
  type: string;
}

export type PublishedTables = { table: string; columns: SourceColumn[] }[];

/**
 * What may be published of each declared table, from the columns production's database has. Throws a
 * one-line reason when a table is missing or has no `id` (UPDATE and DELETE need a replica identity).
 */
export function publishedTables(
  settings: WarehouseSettings,
  sourceColumns: ReadonlyMap<string, readonly SourceColumn[]>,
): PublishedTables {
  const excluded = excludedColumns(settings.mask);
  return settings.tables.map((table) => {
    const columns = sourceColumns.get(table);
    if (!columns || columns.length === 0)
      throw new Error(`warehouse.tables: ${table} does not exist in production's database`);
    if (!columns.some((c) => c.name === REPLICA_KEY))
      throw new Error(`warehouse.tables: ${table} has no ${REPLICA_KEY} column to replicate updates by`);
    const hidden = excluded.get(table) ?? new Set<string>();
    return { table, columns: columns.filter((c) => !hidden.has(c.name)) };
  });
}

/** `"name"` for SQL; names come from the schema above or from the catalog. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Column types a warehouse table may be declared with: what format_type prints, nothing executable. */
const SAFE_TYPE = /^[a-z][a-z0-9 _]*(\([0-9, ]+\))?(\[\])?$/;

export function columnDefinition(column: SourceColumn): string {
  if (!SAFE_TYPE.test(column.type))
    throw new Error(`column ${column.name} has an unexpected type ${column.type}`);
  return `${quoteIdent(column.name)} ${column.type}`;
}

/** `table (a, b, c)` for CREATE/ALTER PUBLICATION: the column list that keeps personal data home. */
export function publicationTableList(tables: PublishedTables): string {
  return tables
    .map(
      ({ table, columns }) =>
        `public.${quoteIdent(table)} (${columns.map((c) => quoteIdent(c.name)).join(", ")})`,
    )
    .join(", ");
}

/** Environment variables the warehouse steps read their secrets from (never argv). */
export const WAREHOUSE_ENV = {
  sourceUrl: "ODOOOPS_DB_URL",
  replicationPassword: "ODOOOPS_REPLICATION_PASSWORD",
  warehouseUrl: "ODOOOPS_WAREHOUSE_URL",
  replicatorUrl: "ODOOOPS_REPLICATOR_URL",
} as const;

/** The production host's step that publishes the tables (through the host's `odooops` wrapper). */
export function warehousePublishCommand(project: string, settings: WarehouseSettings): string {
  return shellLine(
    "odooops",
    "agent",
    "warehouse",
    "publish",
    project,
    "--tables",
    settings.tables.join(","),
    "--mask",
    settings.mask,
    "--source-url-env",
    WAREHOUSE_ENV.sourceUrl,
    "--password-env",
    WAREHOUSE_ENV.replicationPassword,
    "--quiet",
  );
}

/** The step that subscribes the tenant's warehouse database to the publication. */
export function warehouseSubscribeCommand(project: string): string {
  return shellLine(
    "odooops",
    "agent",
    "warehouse",
    "subscribe",
    project,
    "--warehouse-url-env",
    WAREHOUSE_ENV.warehouseUrl,
    "--replicator-url-env",
    WAREHOUSE_ENV.replicatorUrl,
    "--quiet",
  );
}
