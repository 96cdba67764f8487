import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gateDefinition } from "../../model/governance/gates.ts";
import { MEMBER_ROLES, type MemberRole } from "../../model/governance/personas.ts";
import { authorizeAutomation, mayReadDataRecords } from "../../model/governance/release-rules.ts";
import { STAGES, type Stage } from "../../model/stages.ts";
import { BRANCHES, evidenceFor, otherTeam, PEOPLE, type Person, seedProject } from "./support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "./support/harness.ts";

/**
 * Every persona × table × command, straight at the tables as PostgREST would run `from(table)`: members
 * read their own project's rows (backups and drills only in stages their persona operates on), nobody
 * writes, the service role reads all and writes nothing, anon gets nothing. Writes are tried twice: as
 * deployed (no privilege) and with write privileges granted by mistake, to show the policies hold alone.
 */
const TABLES = [
  "projects",
  "members",
  "environments",
  "builds",
  "releases",
  "exceptions",
  "release_gates",
  "evidence",
  "approvals",
  "deployments",
  "backups",
  "restore_drills",
  "build_keys",
  "restore_requests",
  "audit_events",
] as const;
type Table = (typeof TABLES)[number];
const DATA_TABLES: readonly Table[] = ["backups", "restore_drills", "restore_requests"];
const projectColumn = (t: Table) => (t === "projects" ? "id" : "project_id");
/** Audit events about a data record are counted per stage, like the record: they are read under its rule. */
const AUDITED_DATA =
  "(split_part(action, '.', 1) in ('backup', 'restore_drill', 'restore') or details ->> 'action' = 'backup.restore')";
const stageOf = (t: Table) =>
  DATA_TABLES.includes(t)
    ? "ops.environment_stage(environment_id)"
    : t === "audit_events"
      ? `case when ${AUDITED_DATA} then stage else 'any' end`
      : "'any'";
const stagesOf = (t: Table): readonly string[] =>
  DATA_TABLES.includes(t) ? STAGES : t === "audit_events" ? [...STAGES, "any"] : ["any"];

async function populate(h: AdapterHarness, project: string, team: Record<keyof typeof PEOPLE, Person>) {
  const builds = await seedProject(h.as("service"), project, team);
  const { key } = await h.as(team.rm).createBuildKey({ project, stages: ["staging"] });
  keys[project] = key;
  const ref = { project, release: "r-1" };
  const evidence = (gate: "G2" | "G3") => evidenceFor(gateDefinition(gate).requiredEvidence);
  await h.as(team.rm).createRelease({ ...ref, build: builds.staging });
  await h.as(team.rm).signGate({ ...ref, gate: "G1" });
  await h.as(team.qa).signGate({ ...ref, gate: "G2", evidence: evidence("G2") });
  const exception = await h.as(team.dev).requestException({
    ...ref,
    type: "missing_evidence",
    rationale: "notes are written after the freeze",
    risk: "late customer communication",
    gates: ["G3"],
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    reviewRequired: true,
  });
  await h.as(team.rm2).approveException({ id: exception.id });
  const noNotes = evidence("G3").filter((e) => e.kind !== "release_notes");
  await h.as(team.rm).signGate({ ...ref, gate: "G3", evidence: noNotes });
  await h.as(team.rm2).approveRelease(ref);
  await h
    .as("service")
    .recordDeployment({ project, branch: BRANCHES.production, build: builds.staging, release: "r-1" });
  // A production restore, requested by an SRE and approved by a release manager (staging and previews
  // have no requests: their restores need none).
  const restore = await h.as(team.sre).requestRestore({
    project,
    branch: BRANCHES.production,
    backup: "acme_erp/20261123T020000Z-scheduled",
    reason: "a bad import",
  });
  await h.as(team.rm).approveRestore({ id: restore.id });
  const refused = await h.as(team.sre2).requestRestore({
    project,
    branch: BRANCHES.production,
    backup: "acme_erp/20261124T020000Z-scheduled",
    reason: "the wrong night",
  });
  await h.as(team.rm2).rejectRestore({ id: refused.id, reason: "that backup predates the import" });
  for (const stage of STAGES) {
    const backup = await h.as("service").recordBackup({
      project,
      branch: BRANCHES[stage],
      kind: "scheduled",
      status: "succeeded",
      location: `s3://${project}/${stage}.zip`,
      startedAt: "2026-11-23T02:00:00Z",
      finishedAt: "2026-11-23T02:03:00Z",
    });
    // Nobody drills development previews (decision rights), automation included.
    if (authorizeAutomation("restore.drill", stage).allowed)
      await h.as("service").recordRestoreDrill({
        backupId: backup.id,
        result: "passed",
        criteria: { restored: true },
        logUri: `s3://${project}/${stage}.log`,
        drilledAt: "2026-11-23T05:00:00Z",
      });
  }
}

/** A build key of each project, for the one function anon may call. */
const keys: Record<string, string> = {};

interface Caller {
  label: string;
  role: "anon" | "authenticated" | "service_role";
  claims: Record<string, string>;
  persona?: MemberRole;
}

const callers: Caller[] = [
  ...MEMBER_ROLES.map((persona): Caller => {
    const p = Object.values(PEOPLE).find((x) => x.role === persona)!;
    return {
      label: persona,
      role: "authenticated",
      claims: { role: "authenticated", sub: p.userId },
      persona,
    };
  }),
  {
    label: "signed-in non-member",
    role: "authenticated",
    claims: { role: "authenticated", sub: "00000000-0000-4000-8000-00000000beef" },
  },
  { label: "service role", role: "service_role", claims: { role: "service_role" } },
  { label: "anon", role: "anon", claims: { role: "anon" } },
];

describe("row-level security: every persona × table × command", () => {
  let h: AdapterHarness;
  let admin: pg.Client;
  const ids: Record<"a" | "b", string> = { a: "", b: "" };
  /** Rows per table, project and stage ('any' outside backups and drills), as the owner sees them. */
  const rows = new Map<string, number>();

  beforeAll(async () => {
    h = await pgHarness();
    await populate(h, "acme-erp", PEOPLE);
    await populate(h, "other-erp", otherTeam("o"));
    admin = new pg.Client({ connectionString: h.db.url });
    await admin.connect();
    const projects = await admin.query<{ id: string; name: string }>("select id, name from ops.projects");
    ids.a = projects.rows.find((p) => p.name === "acme-erp")!.id;
    ids.b = projects.rows.find((p) => p.name === "other-erp")!.id;
    for (const t of TABLES) {
      const counted = await admin.query<{ project: string; stage: string; n: number }>(
        `select ${projectColumn(t)} as project, ${stageOf(t)} as stage, count(*)::int as n from ops.${t} group by 1, 2`,
      );
      for (const r of counted.rows) rows.set(`${t}/${r.project}/${r.stage}`, r.n);
      expect(counted.rows.length, `${t} has rows in both projects`).toBeGreaterThanOrEqual(2);
    }
  });
  afterAll(async () => {
    await admin.end();
    await h.close();
  });

  /** Runs one statement as the caller in a transaction that is always rolled back. */
  async function as(caller: Caller, sql: string, values: unknown[] = [], grantWrites = false) {
    await admin.query("begin");
    try {
      if (grantWrites)
        await admin.query("grant insert, update, delete on all tables in schema ops to authenticated");
      await admin.query(`set local role ${caller.role}`);
      await admin.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(caller.claims)]);
      const result = await admin.query(sql, values);
      return { rowCount: result.rowCount, rows: result.rows as Record<string, unknown>[] };
    } catch (error) {
      return { error: (error as { code?: string }).code ?? "?" };
    } finally {
      await admin.query("rollback");
    }
  }

  function expectedVisible(caller: Caller, t: Table, project: string, stage: string): number {
    const n = rows.get(`${t}/${project}/${stage}`) ?? 0;
    if (caller.role === "service_role") return n;
    if (!caller.persona || project !== ids.a) return 0;
    if (DATA_TABLES.includes(t) || (t === "audit_events" && stage !== "any"))
      return mayReadDataRecords(caller.persona, stage as Stage) ? n : 0;
    return n;
  }

  for (const caller of callers)
    for (const t of TABLES)
      it(`${caller.label} × ${t}: select sees exactly its share; insert, update, delete are refused`, async () => {
        const pcol = projectColumn(t);
        const seen = await as(
          caller,
          `select ${pcol} as project, ${stageOf(t)} as stage, count(*)::int as n from ops.${t} group by 1, 2`,
        );
        if (caller.role === "anon") expect(seen.error).toBe("42501");
        else
          for (const project of [ids.a, ids.b])
            for (const stage of stagesOf(t)) {
              const got = seen.rows?.find((r) => r.project === project && r.stage === stage)?.n ?? 0;
              expect(got, `${project === ids.a ? "own" : "other"} project, ${stage}`).toBe(
                expectedVisible(caller, t, project, stage),
              );
            }

        const sample = await admin.query<{ row: Record<string, unknown> }>(
          `select to_jsonb(x) as row from ops.${t} x where ${pcol} = $1 limit 1`,
          [ids.a],
        );
        const identity = t === "audit_events" || t === "release_gates"; // generated always: never inserted
        const columns = Object.keys(sample.rows[0]!.row).filter((c) => !(identity && c === "id"));
        const insert = `insert into ops.${t} (${columns.join(", ")})
          select ${columns.join(", ")} from jsonb_populate_record(null::ops.${t}, $1)`;
        const writes = [
          [insert, [sample.rows[0]!.row]],
          [`update ops.${t} set ${pcol} = ${pcol}`, []],
          [`delete from ops.${t}`, []],
        ] as const;
        for (const grantWrites of caller.role === "authenticated" ? [false, true] : [false])
          for (const [sql, values] of writes) {
            const result = await as(caller, sql, [...values], grantWrites);
            const refused =
              "error" in result ? ["42501", "OD010"].includes(result.error ?? "") : result.rowCount === 0;
            expect(
              refused,
              `${sql.split(" ")[0]} ${grantWrites ? "with stray grants" : "as deployed"}: ${JSON.stringify(result)}`,
            ).toBe(true);
          }
      });

  // ops.record_build_with_key is anon's, the app repositories' CI: nobody else calls it, even with a key.
  for (const caller of callers)
    it(`${caller.label} × ops.record_build_with_key: only anon, and only with its project's key`, async () => {
      const record = (project: string, key: string) =>
        as(
          caller,
          `select ops.record_build_with_key($1, $2, 'release/x', 'staging', 'b-rls-1',
             'ghcr.io/insightpulseai/x@sha256:' || repeat('e', 64), 'abcdef1') as b`,
          [key, project],
        );
      const own = await record("acme-erp", keys["acme-erp"]!);
      if (caller.role === "anon")
        expect(own.rows?.[0]?.b).toMatchObject({ project: "acme-erp", stage: "staging" });
      else expect(own.error).toBe("42501");
      expect((await record("acme-erp", keys["other-erp"]!)).error).toBe("42501");
    });

  // ops.list_restore_requests reads through RLS (security invoker): exactly the requests a caller may read.
  for (const caller of callers)
    it(`${caller.label} × ops.list_restore_requests: lists exactly the requests it may read`, async () => {
      const listed = await as(caller, "select ops.list_restore_requests($1) as l", ["acme-erp"]);
      if (caller.role === "anon" || (caller.role === "authenticated" && !caller.persona)) {
        expect(listed.error).toBe("42501");
        return;
      }
      const requests = listed.rows?.[0]?.l as { project: string; stage: string; state: string }[];
      expect(requests).toHaveLength(expectedVisible(caller, "restore_requests", ids.a, "production"));
      for (const r of requests) expect(r).toMatchObject({ project: "acme-erp", stage: "production" });
      if (requests.length > 0) expect(requests.map((r) => r.state).sort()).toEqual(["approved", "rejected"]);
    });

  // ops.find_backup reads through RLS (security invoker): it finds exactly the backups a caller may read.
  for (const caller of callers)
    it(`${caller.label} × ops.find_backup: finds exactly the backups it may read`, async () => {
      for (const stage of STAGES) {
        const location = `s3://acme-erp/${stage}.zip`;
        const found = await as(caller, "select ops.find_backup($1, $2) as b", ["acme-erp", location]);
        // anon and non-members: refused as non-members, before any lookup.
        if (caller.role === "anon" || (caller.role === "authenticated" && !caller.persona))
          expect(found.error, stage).toBe("42501");
        else if (expectedVisible(caller, "backups", ids.a, stage) > 0)
          expect(found.rows?.[0]?.b, stage).toMatchObject({ project: "acme-erp", stage, location });
        else expect(found.error, stage).toBe("P0002");
      }
    });
});
