import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlaneError } from "../../controlplane/errors.ts";
import { createPgControlPlane } from "../../controlplane/pg-adapter.ts";
import type { ControlPlane } from "../../controlplane/types.ts";
import { gateDefinition } from "../../model/governance/gates.ts";
import type { MemberRole } from "../../model/governance/personas.ts";
import { type ControlPlaneDatabase, createControlPlaneDatabase } from "./support/database.ts";
import { evidenceFor, PEOPLE, seedProject, userIdFor } from "./support/fixtures.ts";

/**
 * 50 clients, each on its own connection, sign gates, approve one exception and request others on the
 * same release at once. Whatever the interleaving: each gate passes once, in order, and every change
 * that committed has its audit event (and nothing that rolled back has one).
 */
const project = "acme-erp";
const release = "r-race";

type Outcome = { task: string; ok: boolean; codes: string[] };

describe("concurrency on one release", () => {
  let db: ControlPlaneDatabase;
  const clients: ControlPlane[] = [];
  let exceptionId: string;

  function client(login: string): ControlPlane {
    const cp = createPgControlPlane({ connectionString: db.url, actor: login, maxConnections: 1 });
    clients.push(cp);
    return cp;
  }

  beforeAll(async () => {
    db = await createControlPlaneDatabase("cp_race");
    const service = createPgControlPlane({ connectionString: db.url });
    clients.push(service);
    const builds = await seedProject(service, project);
    const add = async (prefix: string, role: MemberRole, n: number) => {
      for (let i = 1; i <= n; i++) {
        const login = `${prefix}-${i}`;
        await service.setMember({ project, userId: userIdFor(login), githubLogin: login, role });
      }
    };
    await add("rm", "release_manager", 30);
    await add("qa", "qa_tester", 10);
    await add("dev", "developer", 10);
    await client(PEOPLE.rm.login).createRelease({ project, release, build: builds.staging });
    const requested = await client(PEOPLE.dev.login).requestException({
      project,
      release,
      type: "missing_evidence",
      rationale: "release notes are published after go-live",
      risk: "support learns of changes late",
      gates: ["G3"],
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      reviewRequired: true,
    });
    exceptionId = requested.id;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await db.drop();
  });

  /** Retries while the release is not ready for this step yet (order, evidence); stops on anything else. */
  async function attempt(task: string, work: () => Promise<unknown>, retryOn: string[]): Promise<Outcome> {
    const codes: string[] = [];
    for (let tries = 0; tries < 300; tries++) {
      try {
        await work();
        return { task, ok: true, codes };
      } catch (error) {
        if (!(error instanceof ControlPlaneError)) throw error;
        codes.push(error.code);
        if (!retryOn.includes(error.code)) return { task, ok: false, codes };
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
      }
    }
    return { task, ok: false, codes };
  }

  it("never double-passes a gate, never passes one out of order and never loses an audit event", async () => {
    const g2 = evidenceFor(gateDefinition("G2").requiredEvidence);
    const g3 = evidenceFor(gateDefinition("G3").requiredEvidence).filter((e) => e.kind !== "release_notes");
    const tasks: Promise<Outcome>[] = [];
    for (let i = 1; i <= 10; i++) {
      const [rmG1, qa, rmG3, approver, dev] = [
        `rm-${i}`,
        `qa-${i}`,
        `rm-${10 + i}`,
        `rm-${20 + i}`,
        `dev-${i}`,
      ].map(client);
      tasks.push(attempt("sign G1", () => rmG1!.signGate({ project, release, gate: "G1" }), []));
      tasks.push(
        attempt("sign G2", () => qa!.signGate({ project, release, gate: "G2", evidence: g2 }), ["OD001"]),
      );
      tasks.push(
        attempt("sign G3", () => rmG3!.signGate({ project, release, gate: "G3", evidence: g3 }), [
          "OD001",
          "OD002",
        ]),
      );
      tasks.push(attempt("approve exception", () => approver!.approveException({ id: exceptionId }), []));
      tasks.push(
        attempt(
          "request exception",
          () =>
            dev!.requestException({
              project,
              release,
              type: "tooling_outage",
              rationale: `runner ${i} lost its cache during the freeze`,
              risk: "a test result is reproduced by hand",
              gates: ["G2"],
              expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
              reviewRequired: false,
            }),
          [],
        ),
      );
    }
    expect(tasks).toHaveLength(50);
    const outcomes = await Promise.all(tasks);

    const byTask = (task: string) => outcomes.filter((o) => o.task === task);
    for (const gate of ["G1", "G2", "G3"]) {
      const signers = byTask(`sign ${gate}`);
      expect(
        signers.filter((o) => o.ok),
        gate,
      ).toHaveLength(1);
      // the others learnt it had passed; no deadlock, serialization failure or duplicate key leaked out
      for (const o of signers.filter((x) => !x.ok)) expect(o.codes.at(-1), gate).toBe("OD004");
    }
    expect(byTask("approve exception").filter((o) => o.ok)).toHaveLength(1);
    expect(
      byTask("approve exception")
        .filter((o) => !o.ok)
        .map((o) => o.codes),
    ).toEqual(Array(9).fill(["OD004"]));
    expect(byTask("request exception").every((o) => o.ok)).toBe(true);

    const gates = await db.sql<{ gate: string; signed_at: Date; exception_id: string | null }>(
      "select gate, signed_at, exception_id from ops.release_gates order by signed_at",
    );
    expect(gates.rows.map((g) => g.gate)).toEqual(["G1", "G2", "G3"]);
    expect(gates.rows[2]!.exception_id).toBe(exceptionId);

    const audit = await db.sql<{ id: string; action: string; subject_id: string }>(
      "select id, action, subject_id from ops.audit_events where release_id is not null order by id",
    );
    const events = (action: string) => audit.rows.filter((e) => e.action === action);
    expect(events("gate.passed").map((e) => e.subject_id)).toEqual(["G1", "G2", "G3"]);
    const approvedAt = audit.rows.findIndex((e) => e.action === "exception.approved");
    expect(approvedAt).toBeLessThan(
      audit.rows.findIndex((e) => e.action === "gate.passed" && e.subject_id === "G3"),
    );
    expect(events("exception.approved")).toHaveLength(1);
    expect(events("approval.approved")).toHaveLength(1);
    expect(events("exception.requested")).toHaveLength(11);
    const evidence = await db.sql<{ n: number }>(
      "select count(*)::int as n from ops.evidence where release_id is not null",
    );
    expect(evidence.rows[0]!.n).toBe(g2.length + g3.length); // only the committed signatures' evidence
    expect(events("evidence.attached")).toHaveLength(evidence.rows[0]!.n);
  });
});
