import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BRANCHES, PEOPLE, seedProject } from "../support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "../support/harness.ts";
import { attackerSession, type Caller, errorOf, member, rowsOf } from "./attacker.ts";

/**
 * Attack 1: code planted in pg_temp runs as the functions' owner. With `search_path = ''` PostgreSQL still
 * looks up *type* names in pg_temp first, so a caller who shadows `text` with a domain whose check calls
 * their own function gets that function run inside every SECURITY DEFINER function that casts to text —
 * as `postgres`. The attacker below gets TEMPORARY back (the migrations revoke it from PUBLIC) to show
 * that even with it the functions resolve every type in pg_catalog and run nothing from pg_temp.
 */
const project = "acme-erp";
const SHADOWED_TYPES = [
  ["text", "pg_catalog.text"],
  ["varchar", "pg_catalog.varchar"],
  ["jsonb", "pg_catalog.jsonb"],
  ["json", "pg_catalog.json"],
  ["uuid", "pg_catalog.uuid"],
  ["boolean", "pg_catalog.bool"],
  ["bool", "pg_catalog.bool"],
  ["timestamptz", "pg_catalog.timestamptz"],
  ["bigint", "pg_catalog.int8"],
  ["int8", "pg_catalog.int8"],
  ["integer", "pg_catalog.int4"],
  ["int4", "pg_catalog.int4"],
  ["numeric", "pg_catalog.numeric"],
  ["interval", "pg_catalog.interval"],
] as const;
/** Unqualified names of the ops types and tables: a body that forgot `ops.` would find these. */
const SHADOWED_RELATIONS = [
  "actor",
  "projects",
  "environments",
  "builds",
  "releases",
  "exceptions",
  "backups",
  "members",
  "build_keys",
  "restore_requests",
  "audit_events",
  "release_gates",
];

/** Plants, in the caller's own pg_temp, a function that reports who runs it and every shadow type. */
const PLANT = [
  `create function pg_temp.evil(p pg_catalog.text) returns pg_catalog.bool language plpgsql as $$
   begin raise notice 'planted code ran as %', current_user; return true; end $$`,
  ...SHADOWED_TYPES.map(
    ([name, base]) => `create domain pg_temp.${name} as ${base} check (pg_temp.evil(value::pg_catalog.text))`,
  ),
  ...SHADOWED_RELATIONS.map(
    (name) => `create table pg_temp.${name} (id pg_catalog.int4 check (pg_temp.evil('table ${name}')))`,
  ),
];

function calls(key: string): string[] {
  const main = BRANCHES.production;
  const sha = `'ghcr.io/insightpulseai/acme-erp@sha256:${"a".repeat(64)}'`;
  return [
    `select ops.request_access('${project}', '${main}', 'logs.read')`,
    `select ops.request_access('${project}', '${main}', 'backup.restore')`,
    `select ops.request_restore_access('${project}', '${main}', null, null)`,
    `select ops.request_restore('${project}', '${main}', 'acme_erp/20261123T020000Z-scheduled', 'disk lost')`,
    `select ops.record_build_with_key('${key}', '${project}', 'feature/x', 'development', 'b-evil', ${sha}, 'abcdef1')`,
    `select ops.record_build_with_key('odooops_bk_nope', '${project}', 'feature/x', 'development', 'b-evil2', ${sha}, 'abcdef1')`,
    `select ops.sign_gate('${project}', 'r-1', 'G1', '[]')`,
    `select ops.create_release('${project}', 'r-evil', 'b-prod-1')`,
    `select ops.request_exception('${project}', 'r-1', 'missing_evidence', 'rationale long enough', 'risk long enough', array['G1'], now() + interval '1 day', false)`,
    `select ops.record_backup('${project}', '${main}', 'manual', 'succeeded', 's3://b/x', now(), now())`,
    `select ops.close_environment('${project}', '${BRANCHES.development}')`,
    `select ops.create_build_key('${project}', array['development'], 'label')`,
    `select ops.can('${project}', 'deploy', 'production')`,
    `select ops.release_status('${project}', 'r-1')`,
    `select ops.audit_log('${project}', null, 10)`,
    `select ops.catalog(null)`,
  ];
}

describe("attack: types shadowed in pg_temp never run as the functions' owner", () => {
  let h: AdapterHarness;
  let key: string;

  beforeAll(async () => {
    h = await pgHarness();
    await seedProject(h.as("service"), project);
    key = (await h.as(PEOPLE.rm).createBuildKey({ project, stages: ["development"] })).key;
    await h.as(PEOPLE.rm).createRelease({ project, release: "r-1", build: "b-prod-1" });
  });
  afterAll(() => h.close());

  it("refuses temporary objects to the API roles: PUBLIC has no TEMPORARY on the database", async () => {
    for (const caller of [{ role: "anon" }, member(PEOPLE.dev), { role: "service_role" }] as Caller[]) {
      const session = await attackerSession(h.db, caller);
      try {
        const refused = errorOf(await session.run("create temp table t (x int)"));
        expect(refused.code).toBe("42501");
      } finally {
        await session.close();
      }
    }
  });

  const attackers: [string, Caller][] = [
    ["anon", { role: "anon" }],
    ["a signed-in non-member", { role: "authenticated", sub: "00000000-0000-4000-8000-00000000beef" }],
    ["a developer of the project", member(PEOPLE.dev)],
    ["a release manager of the project", member(PEOPLE.rm)],
  ];
  for (const [who, caller] of attackers)
    it(`runs nothing planted by ${who}, whatever the function casts to`, async () => {
      await h.db.sql(`grant temporary on database ${h.db.name} to ${caller.role}`);
      const session = await attackerSession(h.db, caller);
      try {
        // Committed temporary objects live until the session ends: planted for every call below.
        rowsOf(await session.run(PLANT.join(";\n")));
        rowsOf(await session.run("select pg_temp.evil('self-test')"));
        expect(session.notices).toEqual([`planted code ran as ${caller.role}`]);
        session.notices.length = 0;
        for (const sql of calls(key)) await session.run(sql); // refusals are fine; what ran is the point
        expect(session.notices).toEqual([]);
      } finally {
        await session.close();
        await h.db.sql(`revoke temporary on database ${h.db.name} from ${caller.role}`);
      }
    });
});
