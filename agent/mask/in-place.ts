import { Readable } from "node:stream";
import type pg from "pg";
import { type DataStage, MASKED_MARKER_KEY, STAGE_MARKER_KEY } from "../../model/data/data-safety.ts";
import {
  type MaskProfileName,
  type MaskRule,
  rulesByTable,
  strategyForType,
  TECHNICAL_PARTNER_XMLIDS,
  TECHNICAL_USER_MODULE,
} from "../../model/data/masking.ts";
import { AgentError, AgentInputError } from "../errors.ts";
import { guardNonProduction } from "../guard.ts";
import { type DatabaseUrl, withClient } from "../pg/connection.ts";
import { ident } from "../pg/databases.ts";
import { loadSql } from "../pg/load.ts";
import { readParameter, writeParameter } from "../pg/markers.ts";
import { startPgTool } from "../pg/tools.ts";
import type { Reporter } from "../progress.ts";
import { copyHeaderLine } from "../sql-stream/copy-format.ts";
import { DumpStream } from "../sql-stream/dump-stream.ts";
import { type LeakScanResult, MASK_WORK_SCHEMA, scanForLeaks } from "./leak-scan.ts";
import { emptyKeepSets, type KeepSets, RowMasker } from "./row-masker.ts";
import { maskedMarker, newMaskRun, sameMasking } from "./run-context.ts";

const STAGING_SCHEMA = MASK_WORK_SCHEMA;

export interface MaskOptions {
  profile: MaskProfileName;
  extras: readonly MaskRule[];
  /** The password every user gets; undefined leaves every password empty (no password login). */
  password: string | undefined;
  assumeStage?: DataStage;
  reporter: Reporter;
}

export interface MaskResult {
  database: string;
  skipped?: string;
  tables: { table: string; columns: string[]; rows: number }[];
  scan?: LeakScanResult;
}

interface TablePlan {
  table: string;
  rules: MaskRule[];
  columns: string[];
  notNull: Set<string>;
}

async function planTables(client: pg.Client, rules: readonly MaskRule[]): Promise<TablePlan[]> {
  const { rows } = await client.query<{ t: string; c: string; nullable: string; type: string }>(
    `select table_name as t, column_name as c, is_nullable as nullable, data_type as type
       from information_schema.columns where table_schema = 'public'`,
  );
  const plans: TablePlan[] = [];
  for (const [table, tableRules] of rulesByTable(rules)) {
    const columns = rows.filter((r) => r.t === table);
    const present = tableRules.filter((r) => columns.some((c) => c.c === r.column));
    if (present.length === 0) continue;
    if (!columns.some((c) => c.c === "id"))
      throw new AgentError(`table ${table} has no id column; it cannot be masked in place`);
    const fitted = present.map((rule) => {
      const type = columns.find((c) => c.c === rule.column)!.type;
      const strategy = strategyForType(rule.strategy, type);
      if (!strategy)
        throw new AgentInputError(
          `${table}.${rule.column} is ${type}; only text and json columns can be masked`,
        );
      return { ...rule, strategy };
    });
    plans.push({
      table,
      rules: fitted,
      columns: present.map((r) => r.column),
      notNull: new Set(columns.filter((c) => c.nullable === "NO").map((c) => c.c)),
    });
  }
  return plans;
}

async function keepSets(client: pg.Client): Promise<KeepSets> {
  const keep = emptyKeepSets();
  const exists = async (t: string) =>
    (await client.query("select to_regclass($1) as t", [t])).rows[0].t !== null;
  if (await exists("public.ir_model_data")) {
    const { rows } = await client.query<{ model: string; name: string; res_id: number }>(
      "select model, name, res_id from ir_model_data where module = $1 and model in ('res.users', 'res.partner') and res_id is not null",
      [TECHNICAL_USER_MODULE],
    );
    for (const r of rows) {
      if (r.model === "res.users") keep["technical-users"].add(r.res_id);
      else if ((TECHNICAL_PARTNER_XMLIDS as readonly string[]).includes(r.name))
        keep["technical-partners"].add(r.res_id);
    }
  }
  if (await exists("public.res_company"))
    for (const r of (await client.query<{ p: number }>("select partner_id as p from res_company")).rows)
      keep["technical-partners"].add(r.p);
  return keep;
}

/**
 * `odooops agent mask` on an existing copy: each table's masked columns are read with COPY, masked by
 * the same code that masks a clone in flight, written to a staging table, and applied with one UPDATE per
 * table in a single transaction together with the leak scan — which rolls everything back when it finds
 * a source value anywhere. Slower than `clone --mask` (every row is rewritten and re-indexed).
 */
export async function maskInPlace(db: DatabaseUrl, options: MaskOptions): Promise<MaskResult> {
  return withClient(db.url, async (client) => {
    await guardNonProduction(client, db, "mask", options.assumeStage);
    if (sameMasking(await readParameter(client, MASKED_MARKER_KEY), options.profile, options.extras))
      return {
        database: db.id.database,
        skipped: `already masked with profile ${options.profile} (${MASKED_MARKER_KEY}); nothing to do`,
        tables: [],
      };
    const run = newMaskRun(options.profile, options.extras, options.password);
    const plans = await planTables(client, run.rules);
    const keep = await keepSets(client);
    await dropWorkSchemas(client);
    try {
      await client.query(`CREATE SCHEMA ${STAGING_SCHEMA}`);
      const tables: MaskResult["tables"] = [];
      for (const plan of plans) {
        const cols = ["id", ...plan.columns].map(ident).join(", ");
        await client.query(
          `create unlogged table ${STAGING_SCHEMA}.${ident(plan.table)} as select ${cols} from public.${ident(plan.table)} with no data`,
        );
        const masker = new RowMasker(
          ["id", ...plan.columns],
          plan.rules,
          run.ctx,
          keep,
          run.hashes,
          plan.notNull,
        );
        await maskTable(db.url, plan, cols, masker);
        tables.push({ table: plan.table, columns: plan.columns, rows: masker.rows });
        options.reporter.progress(
          `mask: ${plan.table}: ${masker.rows} rows masked (${plan.columns.join(", ")})`,
        );
      }
      await client.query("begin");
      for (const plan of plans) {
        const set = plan.columns.map((c) => `${ident(c)} = m.${ident(c)}`).join(", ");
        const changed = plan.columns.map((c) => `t.${ident(c)} is distinct from m.${ident(c)}`).join(" or ");
        await client.query(
          `update public.${ident(plan.table)} t set ${set} from ${STAGING_SCHEMA}.${ident(plan.table)} m where t.id = m.id and (${changed})`,
        );
      }
      options.reporter.progress("leak scan: looking for every masked source value in the database's text");
      const scan = await scanForLeaks(client, run.hashes);
      if (scan.leaks.length > 0) {
        await client.query("rollback");
        throw leakError(scan, "the database was left as it was");
      }
      if (options.assumeStage && (await readParameter(client, STAGE_MARKER_KEY)) === undefined)
        await writeParameter(client, STAGE_MARKER_KEY, options.assumeStage);
      await writeParameter(client, MASKED_MARKER_KEY, maskedMarker(run));
      await client.query("commit");
      return { database: db.id.database, tables, scan };
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      await dropWorkSchemas(client);
    }
  });
}

async function maskTable(url: string, plan: TablePlan, cols: string, masker: RowMasker): Promise<void> {
  const reader = startPgTool(
    "psql",
    ["-X", "-q", "-c", `\\copy (select ${cols} from public.${ident(plan.table)}) to stdout`],
    url,
  );
  const header = copyHeaderLine({
    schema: STAGING_SCHEMA,
    table: plan.table,
    columns: ["id", ...plan.columns],
  });
  async function* block() {
    yield header;
    for await (const chunk of reader.child.stdout!) yield chunk as Buffer;
    yield "\\.\n";
  }
  const stream = new DumpStream({
    copyStart: () => ({ row: (b, s, e, out) => masker.maskLine(b, s, e, out) }),
  });
  await Promise.all([loadSql(url, Readable.from(block()), [stream]), reader.exited]);
}

async function dropWorkSchemas(client: pg.Client): Promise<void> {
  await client.query(`drop schema if exists ${STAGING_SCHEMA} cascade`);
}

/** Names every column found, with counts, a row id and the redacted value: never the value itself. */
export function leakError(scan: LeakScanResult, state: string): AgentError {
  const where = scan.leaks
    .map((l) => {
      const example = [l.exampleId ? `id ${l.exampleId}` : "", l.example ? `"${l.example}"` : ""]
        .filter(Boolean)
        .join(" ");
      return `${l.table}.${l.column} (${l.cells} cells${example ? `, e.g. ${example}` : ""})`;
    })
    .join(", ");
  return new AgentError(
    `masking check failed: source values that should have been masked are still present in ${where}; ${state}. ` +
      "Add these columns to the profile or pass them with --extra table.column and run again.",
  );
}
