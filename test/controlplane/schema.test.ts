import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_KINDS } from "../../controlplane/errors.ts";
import { applyMigrations, listMigrations } from "../../controlplane/migrations.ts";
import { changedRuleFunctions, RULES_MIGRATION_SUFFIX } from "../../controlplane/rules-sql.ts";
import { type ControlPlaneDatabase, createControlPlaneDatabase } from "./support/database.ts";

const TABLES = [
  "projects",
  "members",
  "environments",
  "builds",
  "releases",
  "release_gates",
  "evidence",
  "approvals",
  "exceptions",
  "deployments",
  "backups",
  "restore_drills",
  "build_keys",
  "restore_requests",
  "incidents",
  "catalog_keys",
  "audit_keys",
  "module_audits",
  "audit_events",
];

describe("control-plane schema", () => {
  let db: ControlPlaneDatabase;
  beforeAll(async () => {
    db = await createControlPlaneDatabase("cp_schema");
  });
  afterAll(() => db.drop());

  it("applies every migration to an empty database, once", async () => {
    const applied = await db.sql<{ version: string }>(
      "select version from supabase_migrations.schema_migrations order by 1",
    );
    expect(applied.rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      expect(await applyMigrations(client)).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it("has exactly the tables of the design, each with RLS and one policy per command", async () => {
    const tables = await db.sql<{ name: string; rls: boolean }>(
      `select c.relname as name, c.relrowsecurity as rls from pg_class c
       join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'ops' and c.relkind = 'r'`,
    );
    expect(tables.rows.map((t) => t.name).sort()).toEqual([...TABLES].sort());
    expect(tables.rows.filter((t) => !t.rls)).toEqual([]);
    const policies = await db.sql<{ tablename: string; cmd: string; n: number }>(
      "select tablename, cmd, count(*)::int as n from pg_policies where schemaname = 'ops' group by 1, 2",
    );
    for (const table of TABLES)
      for (const cmd of ["SELECT", "INSERT", "UPDATE", "DELETE"])
        expect(policies.rows.find((p) => p.tablename === table && p.cmd === cmd)?.n, `${table} ${cmd}`).toBe(
          1,
        );
  });

  it("runs every function with search_path pg_catalog, pg_temp (pg_temp last), and writes only through security definers", async () => {
    const functions = await db.sql<{
      name: string;
      config: string[] | null;
      definer: boolean;
      volatile: string;
    }>(
      `select p.proname as name, p.proconfig as config, p.prosecdef as definer, p.provolatile as volatile
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'ops'`,
    );
    expect(functions.rows.length).toBeGreaterThan(40);
    // Named and last: an empty search_path still looks up type names in pg_temp first (attacks/pg-temp-shadowing).
    for (const f of functions.rows) expect(f.config, f.name).toEqual(["search_path=pg_catalog, pg_temp"]);
    const writers = [
      "create_release",
      "sign_gate",
      "approve_release",
      "request_exception",
      "approve_exception",
      "create_build_key",
      "revoke_build_key",
      "record_build_with_key",
      "request_restore",
      "approve_restore",
      "reject_restore",
      "request_restore_access",
      "request_access",
    ];
    for (const name of writers) expect(functions.rows.find((f) => f.name === name)?.definer, name).toBe(true);
    // Reads run with the caller's rights, so row-level security decides what they return.
    for (const name of [
      "release_status",
      "audit_log",
      "catalog",
      "find_backup",
      "list_build_keys",
      "list_restore_requests",
      "restore_request_json",
    ])
      expect(functions.rows.find((f) => f.name === name)?.definer, name).toBe(false);
  });

  it("grants anon one function, authenticated only reads on tables, and service-only functions to service_role", async () => {
    const privilege = async (role: string, check: string) =>
      (await db.sql<{ ok: boolean }>(`select ${check} as ok`, [role])).rows[0]!.ok;
    // anon reaches schema ops for ops.record_build_with_key (app repos' CI, with a build key),
    // ops.catalog_with_key (drift and preview, with a catalog key)…
    expect(await privilege("anon", "has_schema_privilege($1, 'ops', 'usage')")).toBe(true);
    const anonExecutes = await db.sql<{ fn: string }>(
      `select p.oid::regprocedure::text as fn from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'ops' and has_function_privilege('anon', p.oid, 'execute')`,
    );
    // …a data agent's three calls with an agent key, and the module auditor's two with an audit key.
    expect(anonExecutes.rows.map((r) => r.fn).sort()).toEqual([
      "ops.begin_module_audit_with_key(text,text)",
      "ops.catalog_with_key(text,text[])",
      "ops.file_module_audit_with_key(text,uuid,jsonb)",
      "ops.find_backup_with_key(text,text,text)",
      "ops.record_backup_with_key(text,text,text,text,text,text,timestamp with time zone,timestamp with time zone,bigint,text,jsonb)",
      "ops.record_build_with_key(text,text,text,text,text,text,text,jsonb,timestamp with time zone,text,text)",
      "ops.record_restore_drill_with_key(text,text,uuid,text,jsonb,text,timestamp with time zone,numeric)",
    ]);
    for (const table of TABLES)
      for (const command of ["select", "insert", "update", "delete", "truncate"])
        expect(await privilege("anon", `has_table_privilege($1, 'ops.${table}', '${command}')`)).toBe(false);
    for (const table of TABLES) {
      expect(await privilege("authenticated", `has_table_privilege($1, 'ops.${table}', 'select')`)).toBe(
        true,
      );
      for (const write of ["insert", "update", "delete", "truncate"])
        for (const role of ["authenticated", "service_role"])
          expect(
            await privilege(role, `has_table_privilege($1, 'ops.${table}', '${write}')`),
            `${role} ${write} ${table}`,
          ).toBe(false);
    }
    const recordBuild =
      "ops.record_build(text, text, text, text, text, text, jsonb, timestamptz, text, text)";
    expect(await privilege("authenticated", `has_function_privilege($1, '${recordBuild}', 'execute')`)).toBe(
      false,
    );
    expect(await privilege("service_role", `has_function_privilege($1, '${recordBuild}', 'execute')`)).toBe(
      true,
    );
    const findBackup = "ops.find_backup(text, text)";
    for (const role of ["authenticated", "service_role"])
      expect(await privilege(role, `has_function_privilege($1, '${findBackup}', 'execute')`), role).toBe(
        true,
      );
    expect(await privilege("anon", `has_function_privilege($1, '${findBackup}', 'execute')`)).toBe(false);
    for (const fn of [
      "ops.request_restore(text, text, text, text)",
      "ops.approve_restore(uuid)",
      "ops.reject_restore(uuid, text)",
      "ops.list_restore_requests(text, text)",
      "ops.request_restore_access(text, text, text, uuid)",
      // Security invoker: ops.list_restore_requests reads through RLS with it.
      "ops.restore_request_json(ops.restore_requests)",
    ])
      for (const role of ["authenticated", "service_role"])
        expect(await privilege(role, `has_function_privilege($1, '${fn}', 'execute')`), `${role} ${fn}`).toBe(
          true,
        );
    const internals = [
      "ops.audit_restore_request()",
      "ops.write_audit(uuid, text, text, uuid, text, jsonb)",
      "ops.require_right(uuid, text, text)",
      "ops.store_build(ops.projects, text, text, text, text, text, jsonb, timestamptz, text, text, text)",
      "ops.record_build_with_key(text, text, text, text, text, text, text, jsonb, timestamptz, text, text)",
    ];
    for (const fn of internals)
      expect(await privilege("authenticated", `has_function_privilege($1, '${fn}', 'execute')`), fn).toBe(
        false,
      );
  });

  it("refuses UPDATE, DELETE and TRUNCATE of audit events, even for the owner", async () => {
    const before = await db.sql<{ n: number }>("select count(*)::int as n from ops.audit_events");
    await db.sql("insert into ops.projects (name, repo) values ('audit-probe', 'acme/audit-probe')");
    for (const statement of [
      "update ops.audit_events set action = 'rewritten'",
      "delete from ops.audit_events",
      "delete from ops.audit_events where false",
      "truncate ops.audit_events",
    ])
      await expect(db.sql(statement), statement).rejects.toMatchObject({ code: "OD010" });
    const after = await db.sql<{ n: number; action: string }>(
      "select count(*)::int as n, max(action) as action from ops.audit_events",
    );
    expect(after.rows[0]).toEqual({ n: before.rows[0]!.n + 1, action: "project.registered" });
  });

  it("keeps the generated governance rules migrations in step with model/", () => {
    const rules = listMigrations().filter((m) => m.file.endsWith(RULES_MIGRATION_SUFFIX));
    expect(rules.length, "run npx tsx scripts/generate-controlplane-rules.ts").toBeGreaterThan(0);
    expect(
      changedRuleFunctions(rules.map((m) => readFileSync(m.file, "utf8"))).map((f) => f.signature),
      "stale: run npx tsx scripts/generate-controlplane-rules.ts",
    ).toEqual([]);
  });

  it("raises only SQLSTATEs that the clients know how to explain", () => {
    const raised = new Set<string>();
    for (const m of listMigrations())
      for (const match of readFileSync(m.file, "utf8").matchAll(/errcode = '([0-9A-Z]{5})'/g))
        raised.add(match[1]!);
    expect(raised.size).toBeGreaterThan(8);
    for (const code of raised) expect(Object.keys(ERROR_KINDS), code).toContain(code);
  });

  it("loads supabase/seed.sql after the migrations", async () => {
    await db.sql(readFileSync("supabase/seed.sql", "utf8"));
    const releases = await db.sql<{ name: string }>("select name from ops.releases");
    expect(releases.rows.length).toBeGreaterThan(0);
  });
});
