import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, type Action, authorize, decisionCells } from "../../model/governance/decision-rights.ts";
import { type GateId, gateDefinition } from "../../model/governance/gates.ts";
import { MEMBER_ROLES, type MemberRole } from "../../model/governance/personas.ts";
import { ACCESS_ACTIONS, authorizeAutomation, GATE_STAGE } from "../../model/governance/release-rules.ts";
import { STAGES, type Stage } from "../../model/stages.ts";
import { BRANCHES, evidenceFor, PEOPLE, type Person, seedProject } from "./support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "./support/harness.ts";

/**
 * Decision-rights parity: for every persona × action × stage cell of authorize() (model/), the database
 * allows exactly what the model allows. Each cell runs the real write function at that stage, as that
 * persona, with every other precondition met by other people, in a transaction that is rolled back —
 * so "refused" can only mean the decision-rights check (42501). Cells the model gives to nobody and that
 * have no way in at all (G2 outside staging, G3/G4 and releases outside production) are checked through
 * ops.can, which every cell also answers with authorize()'s own words.
 */
const project = "acme-erp";
const TESTED: Record<MemberRole, Person> = {
  developer: PEOPLE.dev,
  qa_tester: PEOPLE.qa,
  release_manager: PEOPLE.rm,
  sre: PEOPLE.sre,
  auditor: PEOPLE.auditor,
};
const evidence = (gate: "G2" | "G3" | "G4") => evidenceFor(gateDefinition(gate).requiredEvidence);
type Call = { sql: string; values: unknown[]; allowedFrom?: (row: Record<string, unknown>) => boolean };

describe("decision rights: the database allows exactly what authorize() allows", () => {
  let h: AdapterHarness;
  let admin: pg.Client;
  let builds: Record<Stage, string>;
  const backups = {} as Record<Stage, string>;
  const exceptions = {} as Record<Stage, string>;
  const buildKeys = {} as Record<Stage, string>;
  /** Production restore requests: one by another SRE awaiting approval (restore.approve), one approved for the SRE under test (backup.restore). */
  const restores = { pending: "", approved: "" };

  beforeAll(async () => {
    h = await pgHarness();
    builds = await seedProject(h.as("service"), project);
    const { dev2, qa2, rm2, sre2 } = PEOPLE;
    for (const stage of STAGES) {
      const release = `r1-${stage}`; // a candidate per build stage: G1, G1 evidence and exceptions
      await h.as(rm2).createRelease({ project, release, build: builds[stage] });
      const exception = await h.as(dev2).requestException({
        project,
        release,
        type: "missing_evidence",
        rationale: "a check is flaky this week",
        risk: "a broken build could pass G1",
        gates: ["G1"],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        reviewRequired: false,
      });
      exceptions[stage] = exception.id;
      const backup = await h.as("service").recordBackup({
        project,
        branch: BRANCHES[stage],
        kind: "manual",
        status: "succeeded",
        location: `s3://acme/${stage}.zip`,
        startedAt: "2026-11-23T02:00:00Z",
        finishedAt: "2026-11-23T02:01:00Z",
      });
      backups[stage] = backup.id;
      buildKeys[stage] = (await h.as(rm2).createBuildKey({ project, stages: [stage] })).id;
    }
    // One release per later gate, each ready for that gate to be signed by the persona under test.
    for (const release of ["r-g2", "r-g3", "r-g4", "r-promote", "r-ready"]) {
      await h.as(rm2).createRelease({ project, release, build: builds.staging });
      await h.as("service").signGate({ project, release, gate: "G1" });
    }
    for (const e of evidence("G2"))
      await h.as(qa2).attachEvidence({ project, release: "r-g2", gate: "G2", evidence: e });
    for (const release of ["r-g3", "r-g4", "r-promote", "r-ready"])
      await h.as(qa2).signGate({ project, release, gate: "G2", evidence: evidence("G2") });
    for (const e of evidence("G3"))
      await h.as(rm2).attachEvidence({ project, release: "r-g3", gate: "G3", evidence: e });
    for (const release of ["r-g4", "r-promote", "r-ready"])
      await h.as(rm2).signGate({ project, release, gate: "G3", evidence: evidence("G3") });
    for (const release of ["r-g4", "r-ready"]) {
      await h.as(PEOPLE.rm).approveRelease({ project, release }); // rm-ben did not create them
    }
    await h
      .as("service")
      .recordDeployment({ project, branch: BRANCHES.production, build: builds.staging, release: "r-g4" });
    for (const e of evidence("G4"))
      await h.as(sre2).attachEvidence({ project, release: "r-g4", gate: "G4", evidence: e });

    const restore = (sre: Person) =>
      h.as(sre).requestRestore({
        project,
        branch: BRANCHES.production,
        backup: "acme_erp/20261123T020000Z-scheduled",
        reason: "a bad import",
      });
    restores.pending = (await restore(sre2)).id;
    restores.approved = (await restore(TESTED.sre)).id; // only its requester may use it
    await h.as(rm2).approveRestore({ id: restores.approved });

    admin = new pg.Client({ connectionString: h.db.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await h.close();
  });

  /** The write function that takes `action` in `stage`, or undefined when the database has none there. */
  function callFor(action: Action, stage: Stage): Call | undefined {
    const branch = BRANCHES[stage];
    const gate = /^gate\.sign\.(G[1-4])$/.exec(action)?.[1];
    if (gate === "G1") return { sql: "select ops.sign_gate($1, $2, 'G1')", values: [project, `r1-${stage}`] };
    if (gate) {
      if (stage !== GATE_STAGE[gate as GateId]) return undefined; // G2–G4 are decided in one stage each
      return { sql: `select ops.sign_gate($1, $2, '${gate}')`, values: [project, `r-${gate.toLowerCase()}`] };
    }
    // A restore is decided by ops.request_restore_access; production's also needs an approved request.
    if (action === "backup.restore")
      return {
        sql: "select ops.request_restore_access($1, $2, null, $3) as r",
        values: [project, branch, stage === "production" ? restores.approved : null],
        allowedFrom: (row) => (row.r as { allowed: boolean }).allowed,
      };
    if (action === "restore.approve")
      return stage === "production"
        ? { sql: "select ops.approve_restore($1)", values: [restores.pending] }
        : undefined;
    if ((ACCESS_ACTIONS as readonly string[]).includes(action))
      return {
        sql: "select ops.request_access($1, $2, $3) as r",
        values: [project, branch, action],
        allowedFrom: (row) => (row.r as { allowed: boolean }).allowed,
      };
    switch (action) {
      case "deploy":
        return stage === "production"
          ? {
              sql: "select ops.record_deployment($1, $2, $3, 'r-ready')",
              values: [project, branch, builds.staging],
            }
          : { sql: "select ops.record_deployment($1, $2, $3)", values: [project, branch, builds[stage]] };
      case "release.create":
        return stage === "production"
          ? { sql: "select ops.create_release($1, 'r-new', $2)", values: [project, builds.production] }
          : undefined;
      case "release.promote":
        return stage === "production"
          ? { sql: "select ops.approve_release($1, 'r-promote')", values: [project] }
          : undefined;
      case "evidence.attach":
        return {
          sql: "select ops.attach_evidence($1, $2, 'G1', 'build_log', 'https://ci.example/log')",
          values: [project, `r1-${stage}`],
        };
      case "exception.request":
        return {
          sql: "select ops.request_exception($1, $2, 'tooling_outage', 'the CI runners are down', 'checks are run by hand', array['G1'], now() + interval '1 day', true)",
          values: [project, `r1-${stage}`],
        };
      case "exception.approve":
        return { sql: "select ops.approve_exception($1)", values: [exceptions[stage]] };
      case "backup.run":
        return {
          sql: "select ops.record_backup($1, $2, 'manual', 'succeeded', 's3://acme/x.zip', now() - interval '1 minute', now())",
          values: [project, branch],
        };
      case "restore.drill":
        return {
          sql: `select ops.record_restore_drill($1, 'passed', '{"restored": true}', 's3://acme/drill.log', now())`,
          values: [backups[stage]],
        };
      case "environment.destroy":
        return { sql: "select ops.close_environment($1, $2)", values: [project, branch] };
      case "build_key.create":
        return { sql: "select ops.create_build_key($1, array[$2])", values: [project, stage] };
      case "build_key.revoke":
        return { sql: "select ops.revoke_build_key($1)", values: [buildKeys[stage]] };
      case "audit.read":
        return {
          sql: "select count(*)::int as n from ops.audit_events where stage = $1",
          values: [stage],
          allowedFrom: (row) => (row.n as number) > 0,
        };
      default:
        throw new Error(`no parity probe for ${action}`);
    }
  }

  async function run(person: Person | "service_role", call: { sql: string; values: unknown[] }) {
    const claims =
      person === "service_role" ? { role: person } : { role: "authenticated", sub: person.userId };
    await admin.query("begin");
    try {
      await admin.query(`set local role ${claims.role}`);
      await admin.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
      const result = await admin.query(call.sql, call.values);
      return { row: result.rows[0] as Record<string, unknown>, code: undefined, message: "" };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { row: undefined, code: e.code ?? "?", message: e.message ?? "" };
    } finally {
      await admin.query("rollback");
    }
  }

  it("covers every cell: 5 roles × 22 actions × 3 stages through the write functions or ops.can", async () => {
    let exercised = 0;
    let cells = 0;
    for (const [role, action, stage] of decisionCells(MEMBER_ROLES)) {
      cells++;
      const model = authorize(role, action, stage);
      const where = `${role} × ${action} × ${stage}`;
      const can = await run(TESTED[role], {
        sql: "select ops.can($1, $2, $3) as c",
        values: [project, action, stage],
      });
      expect(can.row?.c, where).toEqual({ role, allowed: model.allowed, reason: model.reason });

      const call = callFor(action, stage);
      if (!call) {
        expect(model.allowed, `${where} has no write path, so the model must give it to nobody`).toBe(false);
        continue;
      }
      exercised++;
      const outcome = await run(TESTED[role], call);
      if (outcome.code !== undefined) {
        expect(outcome.code, `${where}: refused for another reason: ${outcome.message}`).toBe("42501");
        expect(model.allowed, `${where}: the database refused what the model allows`).toBe(false);
        if (outcome.message.includes(" may not ")) expect(outcome.message, where).toBe(model.reason);
      } else {
        const allowed = call.allowedFrom ? call.allowedFrom(outcome.row ?? {}) : true;
        expect(allowed, `${where}: database ${allowed ? "allowed" : "refused"}`).toBe(model.allowed);
      }
    }
    expect(cells).toBe(5 * 22 * 3);
    expect(exercised).toBe(cells - 5 * 12); // 12 action × stage pairs are nobody's and have no way in
  });

  it("binds automation to the same table: the service role may exactly what authorizeAutomation() says", async () => {
    for (const action of ACTIONS)
      for (const stage of STAGES) {
        const model = authorizeAutomation(action, stage);
        const where = `service_role × ${action} × ${stage}`;
        const can = await run("service_role", {
          sql: "select ops.can($1, $2, $3) as c",
          values: [project, action, stage],
        });
        expect(can.row?.c, where).toEqual({
          role: "service_role",
          allowed: model.allowed,
          reason: model.reason,
        });
        const call = callFor(action, stage);
        // Allowed cells are exercised by the suites that use automation; audit.read is a read, and the
        // service role reads every table (BYPASSRLS, as on every Supabase project).
        if (!call || model.allowed || action === "audit.read") continue;
        const outcome = await run("service_role", call);
        const granted = outcome.code === undefined && (call.allowedFrom?.(outcome.row ?? {}) ?? true);
        expect(granted, `${where}: the database allowed what the model refuses`).toBe(false);
      }
  });
});
