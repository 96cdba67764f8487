import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DumpMasker, maskingDump } from "../../agent/mask/dump-masker.ts";
import { emptyKeepSets } from "../../agent/mask/row-masker.ts";
import { newMaskRun } from "../../agent/mask/run-context.ts";
import { ValueHashes } from "../../agent/mask/value-hashes.ts";
import { loadSql } from "../../agent/pg/load.ts";
import { startPgTool } from "../../agent/pg/tools.ts";
import { parseCopyHeader } from "../../agent/sql-stream/copy-format.ts";
import { DumpStream } from "../../agent/sql-stream/dump-stream.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { query } from "./support.ts";

/** What a masked load writes for each COPY line of `dump` (statement lines fed first, as they stream). */
function copyStatements(dump: string): (string | undefined)[] {
  const run = newMaskRun("default", [], undefined);
  const masker = new DumpMasker(run.rules, run.ctx, emptyKeepSets(), new ValueHashes(1));
  const written: (string | undefined)[] = [];
  for (const line of dump.split("\n")) {
    masker.statementLine(line);
    const header = line.startsWith("COPY ") ? parseCopyHeader(line) : undefined;
    if (header) written.push(masker.copyStatement(header, line));
  }
  return written;
}

describe("a masked load writes its rows frozen", () => {
  it("freezes the rows of tables the dump creates as ordinary tables, and no others", () => {
    const dump = [
      "CREATE TABLE public.res_partner (\n    id integer NOT NULL,\n    name character varying\n);",
      "CREATE TABLE public.event_log (\n    id integer NOT NULL,\n    at date NOT NULL\n)\nPARTITION BY RANGE (at);",
      "CREATE TABLE public.event_log_2025 (\n    id integer NOT NULL,\n    at date NOT NULL\n);",
      "COPY public.res_partner (id, name) FROM stdin;",
      "COPY public.event_log (id, at) FROM stdin;", // pg_dump --load-via-partition-root: the parent's
      "COPY public.event_log_2025 (id, at) FROM stdin;",
      "COPY public.account_move (id) FROM stdin;", // created elsewhere (not in this dump)
    ].join("\n");
    expect(copyStatements(dump)).toEqual([
      "COPY public.res_partner (id, name) FROM stdin WITH (FREEZE);",
      undefined,
      "COPY public.event_log_2025 (id, at) FROM stdin WITH (FREEZE);",
      undefined,
    ]);
  });

  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await createTestDatabase("freeze_src");
    target = await createTestDatabase("freeze_dst");
    await query(
      source.url,
      `create table res_partner (id serial primary key, name varchar, email varchar);
       insert into res_partner (name, email) select 'Person ' || i, 'p' || i || '@example.com' from generate_series(1, 5000) i;
       create table event_log (id int not null, at date not null) partition by range (at);
       create table event_log_2025 partition of event_log for values from ('2025-01-01') to ('2026-01-01');
       create table event_log_2026 partition of event_log for values from ('2026-01-01') to ('2027-01-01');
       insert into event_log select i, date '2025-06-01' + (i % 400) from generate_series(1, 4000) i;`,
    );
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
  });

  it("loads a real pg_dump, partitions included, with every page of every table all-frozen", async () => {
    const run = newMaskRun("default", [], undefined);
    const dump = startPgTool("pg_dump", ["-Fp", "--no-owner", "--no-privileges"], source.url);
    await maskingDump(run, (masker) =>
      loadSql(target.url, dump.child.stdout!, [new DumpStream(masker)], dump.exited),
    );
    const counts = await query<{ partners: number; events: number; masked: number }>(
      target.url,
      `select (select count(*)::int from res_partner) as partners, (select count(*)::int from event_log) as events,
              (select count(*)::int from res_partner where name like 'Name %') as masked`,
    );
    expect(counts).toEqual([{ partners: 5000, events: 4000, masked: 5000 }]);
    await query(target.url, "create extension if not exists pg_visibility");
    const pages = await query<{ rel: string; pages: number; frozen: number }>(
      target.url,
      `select c.relname as rel, count(*)::int as pages, count(*) filter (where v.all_frozen)::int as frozen
         from pg_class c cross join lateral pg_visibility_map(c.oid) v
        where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' group by c.relname order by 1`,
    );
    expect(pages.map((p) => p.rel)).toEqual(["event_log_2025", "event_log_2026", "res_partner"]);
    for (const p of pages) expect(p.frozen, p.rel).toBe(p.pages);
    expect(pages.find((p) => p.rel === "res_partner")!.pages).toBeGreaterThan(10);
  });
});
