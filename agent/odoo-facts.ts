import type pg from "pg";
import type { OdooManifest } from "../model/data/backup-record.ts";
import { AgentError } from "./errors.ts";

/** PostgreSQL's version the way Odoo's manifest writes it: "%d.%d" % divmod(server_version / 100, 100). */
export function odooPgVersion(serverVersionNum: number): string {
  return `${Math.floor(serverVersionNum / 10000)}.${Math.floor((serverVersionNum / 100) % 100)}`;
}

/** "17.0" from base's latest_version "17.0.1.3"; "saas~17.4" style series are kept whole. */
export function odooSeries(baseVersion: string): string {
  const parts = baseVersion.split(".");
  return parts.length >= 2 ? `${parts[0]}.${parts[1]}` : baseVersion;
}

/** The manifest.json Odoo's database manager writes (odoo/service/db.py dump_db_manifest). */
export async function odooManifest(client: pg.Client, database: string): Promise<OdooManifest> {
  const table = await client.query<{ t: string | null }>(
    "select to_regclass('public.ir_module_module') as t",
  );
  if (table.rows[0]!.t === null)
    throw new AgentError(`${database} is not an Odoo database (it has no ir_module_module table)`);
  const { rows } = await client.query<{ name: string; latest_version: string | null }>(
    "select name, latest_version from ir_module_module where state = 'installed' order by name",
  );
  const modules = Object.fromEntries(rows.map((r) => [r.name, r.latest_version]));
  const base = modules.base;
  if (!base)
    throw new AgentError(`${database} has no installed base module; it is not an initialised Odoo database`);
  const series = odooSeries(base);
  const [major, minor] = series.split(".").map((n) => Number.parseInt(n.replace(/\D/g, ""), 10));
  const versionNum = Number(
    (await client.query<{ v: string }>("select current_setting($1) as v", ["server_version_num"])).rows[0]!.v,
  );
  return {
    odoo_dump: "1",
    db_name: database,
    version: series,
    version_info: [major ?? 0, minor ?? 0, 0, "final", 0, ""],
    major_version: series,
    pg_version: odooPgVersion(versionNum),
    modules,
  };
}
