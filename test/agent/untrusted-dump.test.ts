import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withDatabase } from "../../agent/pg/connection.ts";
import { loadSql } from "../../agent/pg/load.ts";
import { startPgTool } from "../../agent/pg/tools.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { agent, databaseExists, envVar, odooDatabase, query, tableFingerprints } from "./support.ts";

/**
 * A dump nobody vouches for (an uploaded Odoo zip, a backup read back from storage) runs only statements
 * pg_dump writes, and nothing it does reaches what every database of the server shares: not through a
 * COMMIT that ends the load's transaction, not through a function its own trigger calls.
 */
let target: TestDatabase;
let bystander: TestDatabase;
beforeAll(async () => {
  bystander = await createTestDatabase("bystander");
});
beforeEach(async () => {
  target = await createTestDatabase("untrusted");
  return () => target.drop();
});
afterAll(async () => {
  await bystander.drop();
});

const load = (sql: string) => loadSql(target.url, Readable.from([sql]), [], undefined, { untrusted: true });
const HEAD = [
  "SET statement_timeout = 0;",
  "SET client_encoding = 'UTF8';",
  "SET standard_conforming_strings = on;",
  "SELECT pg_catalog.set_config('search_path', '', false);",
  "CREATE TABLE public.res_partner (id integer NOT NULL, name character varying);",
  "",
].join("\n");
const ROWS = "COPY public.res_partner (id, name) FROM stdin;\n1\tAnna\n\\.\n";

const tableLoaded = async () =>
  (await query<{ t: string | null }>(target.url, "select to_regclass('public.res_partner')::text as t"))[0]!
    .t;

describe("a dump nobody vouches for", () => {
  it("loads what pg_dump writes: functions, triggers, views, a materialized view, an extension, sequences", async () => {
    const source = await createTestDatabase("pgdump");
    try {
      await query(
        source.url,
        [
          "create extension pg_trgm",
          "create table partner (id serial primary key, name text not null, seen timestamptz default now())",
          "create function touch() returns trigger language plpgsql as $$ begin new.seen := now(); return new; end $$",
          "create trigger touched before update on partner for each row execute function touch()",
          "insert into partner (name) select 'p' || g from generate_series(1, 50) g",
          "create index partner_name_trgm on partner using gin (name gin_trgm_ops)",
          "create view named as select id, upper(name) as name from partner",
          "create materialized view counted as select count(*) as n from partner",
          "comment on table partner is 'people; with a semicolon'",
        ].join(";\n"),
      );
      const dump = startPgTool("pg_dump", ["-Fp", "--no-owner", "--no-privileges"], source.url, {
        stdin: "ignore",
      });
      await loadSql(target.url, dump.child.stdout!, [], dump.exited, { untrusted: true });
      expect(await query(target.url, "select count(*)::int as n, max(id) as top from partner")).toEqual([
        { n: 50, top: 50 },
      ]);
      expect(await query(target.url, "select n::int from counted")).toEqual([{ n: 50 }]);
      expect(await query(target.url, "select nextval('partner_id_seq')::int as next")).toEqual([
        { next: 51 },
      ]);
    } finally {
      await source.drop();
    }
  });

  it("loads the plpgsql extension line of dumps from older servers, a no-op", async () => {
    await load(`${HEAD}CREATE EXTENSION IF NOT EXISTS plpgsql WITH SCHEMA pg_catalog;\n${ROWS}`);
    expect(await tableLoaded()).toBe("res_partner");
  });

  it.each([
    ["a COMMIT that would end the load's transaction", "COMMIT;\n", 6, "Transaction"],
    ["DROP DATABASE", `DROP DATABASE ${"x"};\n`, 6, "Dropdb"],
    ["a role", "CREATE ROLE intruder SUPERUSER;\n", 6, "CreateRole"],
    ["a password change", "ALTER ROLE CURRENT_USER PASSWORD 'x';\n", 6, "AlterRole"],
    [
      "a database's settings",
      "ALTER DATABASE postgres SET default_transaction_read_only = on;\n",
      6,
      "AlterDatabaseSet",
    ],
    [
      "a comment on a database",
      "COMMENT ON DATABASE postgres IS 'x';\n",
      6,
      "every database of the server shares",
    ],
    ["a DO block", "DO $$ BEGIN PERFORM 1; END $$;\n", 6, "Do"],
    ["CALL", "CALL public.p();\n", 6, "Call"],
    ["SET ROLE", "SET ROLE postgres;\n", 6, "sets role"],
    ["SET SESSION AUTHORIZATION", "SET SESSION AUTHORIZATION postgres;\n", 6, "sets session_authorization"],
    ["an encoding that hides quotes", "SET client_encoding = 'SJIS';\n", 6, "client_encoding"],
    ["backslashes in strings", "SET standard_conforming_strings = off;\n", 6, "standard_conforming_strings"],
    ["a SELECT of anything", "SELECT pg_catalog.pg_sleep(0);\n", 6, "a dump only selects"],
    [
      "another search_path",
      "SELECT pg_catalog.set_config('search_path', 'evil', false);\n",
      6,
      "search_path",
    ],
    ["COPY to a program", "COPY public.res_partner TO PROGRAM 'id';\n", 6, "COPY is only loaded"],
    [
      "a COPY hidden after another statement",
      `SELECT pg_catalog.setval('s', 1, true); ${ROWS}`,
      8,
      "backslash command",
    ],
    ["a lowercase copy", ROWS.toLowerCase(), 8, "backslash command"],
    [
      "a statement left open before COPY",
      `CREATE INDEX i ON public.res_partner (id)\n${ROWS}`,
      6,
      "does not end with ;",
    ],
    [
      "an unterminated last statement",
      "CREATE INDEX i ON public.res_partner (id)\n",
      6,
      "does not end with ;",
    ],
    ["an extension that reaches other servers", "CREATE EXTENSION dblink;\n", 6, "dblink"],
    [
      "a COPY with a WHERE",
      "COPY public.res_partner (id, name) FROM stdin WHERE id > 0;\n1\tAnna\n\\.\n",
      8,
      "backslash command",
    ],
  ])("refuses %s, naming its line, and keeps nothing", async (_, sql, line, says) => {
    const error = await load(`${HEAD}${sql}`).catch((e: unknown) => e as Error & { exitCode?: number });
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(new RegExp(`^dump\\.sql:${line}: .*${says}`));
    expect(error!.exitCode).toBe(2);
    expect(await tableLoaded()).toBeNull();
    expect(await databaseExists(withDatabase(target.url, "postgres"), bystander.name)).toBe(true);
  });

  it("refuses COPY data ended by \\.\\r\\n, after which psql would read SQL nobody judged", async () => {
    const sql = `${HEAD}COPY public.res_partner (id, name) FROM stdin;\n1\tAnna\n\\.\r\nDROP DATABASE ${bystander.name};\n`;
    await expect(load(sql)).rejects.toThrow(/ends with "\\.\\r\\n", which pg_dump never writes/);
    expect(await databaseExists(withDatabase(target.url, "postgres"), bystander.name)).toBe(true);
    expect(await tableLoaded()).toBeNull();
  });

  it("keeps nothing a function of the dump changed in a shared catalog, called by its trigger during COPY", async () => {
    const setting = "odooops_test.intruded";
    const sql = [
      HEAD,
      "CREATE FUNCTION public.intrude() RETURNS trigger LANGUAGE plpgsql AS $$",
      "BEGIN",
      `  EXECUTE 'ALTER ROLE ' || pg_catalog.quote_ident(CURRENT_USER) || ' SET ${setting} = ''yes''';`,
      "  RETURN NEW;",
      "END $$;",
      "CREATE TRIGGER intruding BEFORE INSERT ON public.res_partner FOR EACH ROW EXECUTE FUNCTION public.intrude();",
      ROWS,
    ].join("\n");
    try {
      await expect(load(sql)).rejects.toThrow(/changed what every database of the server shares/);
      const settings = await query<{ n: number }>(
        target.url,
        "select count(*)::int as n from pg_db_role_setting s, unnest(s.setconfig) c where c like 'odooops_test.%'",
      );
      expect(settings).toEqual([{ n: 0 }]);
      expect(await tableLoaded()).toBeNull();
    } finally {
      await query(target.url, `alter role current_user reset ${setting}`);
    }
  });

  it("keeps nothing neutralize did when a trigger of the database wrote to a shared catalog", async () => {
    const db = await odooDatabase("trigger", { partners: 20 });
    try {
      await query(
        db.url,
        [
          "update ir_config_parameter set value = 'staging' where key = 'odooops.stage'",
          "create function intrude() returns trigger language plpgsql as $$ begin execute 'alter role ' || quote_ident(current_user) || ' set odooops_test.neutralized = ''yes'''; return new; end $$",
          "create trigger intruding before update on ir_cron for each row execute function intrude()",
        ].join(";\n"),
      );
      const before = await tableFingerprints(db.url);
      const run = await agent(
        ...["neutralize", "--db-url-env", envVar(db.url, "DB")],
        ...["--base-url", "https://stg.example.com", "--mailpit-host", "mailpit"],
      );
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/changed what every database of the server shares/);
      expect(await tableFingerprints(db.url)).toEqual(before);
    } finally {
      await query(db.url, "alter role current_user reset odooops_test.neutralized");
      await db.drop();
    }
  });
});
