import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { excludedColumns, warehouseNames } from "../../model/plan/warehouse.ts";
import { loadOdooFixture } from "../fixtures/odoo/fixture.ts";
import { connectionString, type PostgresServer, startPostgres, stopPostgres } from "../support/postgres.ts";
import { agent, envVar, query } from "./support.ts";

/**
 * Two real PostgreSQL 15 servers with wal_level=logical: production (an Odoo-shaped database) and the
 * warehouse. What production publishes arrives within seconds; a personal column never does.
 */
const LOGICAL = { wal_level: "logical", max_replication_slots: "10", max_wal_senders: "10" };
const PROJECT = "acme-erp";
const names = warehouseNames(PROJECT);
const PASSWORD = "replication-password-0123456789abcdef";
const SECRET_EMAIL = "dora.secret@private.example";

let production: PostgresServer;
let warehouse: PostgresServer;
let sourceUrl: string;
let warehouseAdminUrl: string;
let tenantUrl: string;
let replicatorUrl: string;

/** Polls until `check` holds; fails after `ms` (no fixed sleep decides the outcome). */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not true after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

const count = async (url: string, table: string) =>
  Number((await query<{ n: string }>(url, `select count(*) as n from ${table}`))[0]!.n);

beforeAll(async () => {
  [production, warehouse] = await Promise.all([startPostgres(LOGICAL), startPostgres(LOGICAL)]);
  await query(connectionString(production), "create database erp");
  sourceUrl = connectionString(production, "erp");
  await loadOdooFixture(sourceUrl, { partners: 50 });
  warehouseAdminUrl = connectionString(warehouse);
  tenantUrl = connectionString(warehouse, names.database);
  replicatorUrl = `postgresql://${names.replicationRole}:${PASSWORD}@127.0.0.1:${production.port}/erp`;
}, 120_000);

afterAll(async () => {
  // The subscription holds a slot on production: drop it first, or production's stop waits on it.
  await query(tenantUrl, `drop subscription if exists ${names.subscription}`).catch(() => undefined);
  await Promise.all([production, warehouse].filter(Boolean).map(stopPostgres));
});

describe("warehouse replication", () => {
  it("copies the published tables, then streams new rows within seconds, personal columns never", async () => {
    const pub = await agent(
      "warehouse",
      "publish",
      PROJECT,
      "--tables",
      "res_partner,account_move",
      "--json",
      "--source-url-env",
      envVar(sourceUrl),
      "--password-env",
      envVar(PASSWORD),
    );
    expect(pub.err).toBe("");
    expect(pub.code).toBe(0);
    const sub = await agent(
      "warehouse",
      "subscribe",
      PROJECT,
      "--warehouse-url-env",
      envVar(warehouseAdminUrl),
      "--replicator-url-env",
      envVar(replicatorUrl),
    );
    expect(sub.err).toBe("");
    expect(sub.out).toContain(`${names.database}: subscribed to`);
    const partners = await count(sourceUrl, "res_partner");
    await eventually(async () => (await count(tenantUrl, "res_partner")) === partners);

    const [{ id }] = (await query<{ id: number }>(
      sourceUrl,
      `insert into res_partner (name, email, active, type, company_id, create_date)
       values ('Dora Secret', $1, true, 'contact', 1, now()) returning id`,
      [SECRET_EMAIL],
    )) as [{ id: number }];
    await query(
      sourceUrl,
      `insert into account_move (name, partner_id, invoice_partner_display_name, move_type, state, date, amount_total, company_id)
       values ('INV/2026/0099', $1, 'Dora Secret', 'out_invoice', 'posted', current_date, 1234.50, 1)`,
      [id],
    );
    const waited = await eventually(
      async () =>
        (await query(tenantUrl, "select 1 from account_move where name = 'INV/2026/0099'")).length === 1,
    );
    expect(waited).toBeLessThan(15_000);
    const [move] = await query<{ amount_total: string; partner_id: number }>(
      tenantUrl,
      "select amount_total, partner_id from account_move where name = 'INV/2026/0099'",
    );
    expect(move).toEqual({ amount_total: "1234.50", partner_id: id });

    // Not a single excluded column exists in the warehouse, and the values are nowhere in it.
    const hidden = excludedColumns("default");
    const columns = await query<{ table_name: string; column_name: string }>(
      tenantUrl,
      "select table_name, column_name from information_schema.columns where table_schema = 'public'",
    );
    expect(columns.some((c) => c.column_name === "id")).toBe(true);
    expect(columns.filter((c) => hidden.get(c.table_name)?.has(c.column_name))).toEqual([]);
    const dump = await query<{ t: string }>(
      tenantUrl,
      "select (select string_agg(p::text, '|') from res_partner p) || (select string_agg(m::text, '|') from account_move m) as t",
    );
    expect(dump[0]!.t).not.toContain("dora.secret");
    expect(dump[0]!.t).not.toContain("Dora Secret");
  });

  it("measures the lag from both ends and shows it", async () => {
    await query(sourceUrl, "update account_move set amount_total = amount_total + 1");
    const lagArgs = ["warehouse", "lag", PROJECT, "--source-url-env", envVar(sourceUrl)];
    const warehouseEnv = ["--warehouse-url-env", envVar(warehouseAdminUrl)];
    await eventually(async () => {
      const run = await agent(...lagArgs, ...warehouseEnv, "--json");
      const lag = JSON.parse(run.out) as { bytesBehind: number; streaming: boolean };
      return lag.streaming && lag.bytesBehind === 0;
    });
    const text = await agent(...lagArgs, ...warehouseEnv);
    expect(text.out).toMatch(
      new RegExp(`^${names.subscription}: 0 bytes behind, replay lag [0-9.]+ s, streaming`),
    );
  });

  it("lets the tenant's analysts read and nothing more; other roles and the replicator see no more than published", async () => {
    await query(
      warehouseAdminUrl,
      `create role ana login; grant ${names.analystRole} to ana; create role eve login`,
    );
    const asAna = tenantUrl.replace("postgres@", "ana@");
    expect(await count(asAna, "account_move")).toBeGreaterThan(0);
    await expect(query(asAna, "delete from account_move")).rejects.toThrow(/permission denied/);
    await expect(query(asAna, "create table public.mine (x int)")).rejects.toThrow(/permission denied/);
    await expect(query(asAna, "select subconninfo from pg_subscription")).rejects.toThrow(
      /permission denied/,
    );
    // Someone without the group cannot even connect; granted the table by mistake, RLS still shows nothing.
    const asEve = tenantUrl.replace("postgres@", "eve@");
    await expect(query(asEve, "select 1")).rejects.toThrow(/permission denied for database/);
    await query(
      tenantUrl,
      `grant connect on database ${names.database} to eve; grant select on account_move to eve`,
    );
    expect(await count(asEve, "account_move")).toBe(0);
    // The replication login on production reads the published columns and nothing else.
    await expect(query(replicatorUrl, "select email from res_partner")).rejects.toThrow(/permission denied/);
    await expect(query(replicatorUrl, "select * from res_users")).rejects.toThrow(/permission denied/);
    expect((await query(replicatorUrl, "select id, is_company from res_partner limit 1")).length).toBe(1);
  });

  it("serves the Finance PPM dataset: its columns and metrics run on the replica as an analyst", async () => {
    const dir = "warehouse/superset/finance_ppm/datasets/tenant_warehouse";
    const asAna = tenantUrl.replace("postgres@", "ana@");
    for (const file of readdirSync(dir)) {
      const dataset = parse(readFileSync(join(dir, file), "utf8")) as {
        table_name: string;
        fetch_values_predicate: string;
        columns: { column_name: string }[];
        metrics: { metric_name: string; expression: string }[];
      };
      const columns = dataset.columns.map((c) => c.column_name).join(", ");
      await query(asAna, `select ${columns} from ${dataset.table_name} limit 1`);
      const metrics = dataset.metrics.map((m) => `${m.expression} as ${m.metric_name}`).join(", ");
      const [row] = await query<Record<string, string>>(
        asAna,
        `select ${metrics} from ${dataset.table_name} where ${dataset.fetch_values_predicate}`,
      );
      expect(Number(row!.invoices)).toBeGreaterThan(0);
    }
  });

  it("refuses a table production does not have, and changes nothing", async () => {
    const run = await agent(
      "warehouse",
      "publish",
      PROJECT,
      "--tables",
      "res_partner,no_such_table",
      "--source-url-env",
      envVar(sourceUrl),
      "--password-env",
      envVar(PASSWORD),
    );
    expect(run.code).toBe(2);
    expect(run.err.trim()).toBe(
      "odooops agent warehouse publish: warehouse.tables: no_such_table does not exist in production's database",
    );
    const tables = await query<{ tablename: string }>(
      sourceUrl,
      "select tablename from pg_publication_tables where pubname = $1 order by 1",
      [names.publication],
    );
    expect(tables.map((t) => t.tablename)).toEqual(["account_move", "res_partner"]);
  });
});
