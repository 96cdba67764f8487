import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize } from "../../../model/governance/decision-rights.ts";
import { gateDefinition } from "../../../model/governance/gates.ts";
import type { Stage } from "../../../model/stages.ts";
import { BRANCHES, evidenceFor, PEOPLE, refusal, seedProject } from "./fixtures.ts";
import type { AdapterHarness } from "./harness.ts";

const evidenceOf = (gate: "G1" | "G2" | "G3" | "G4") => evidenceFor(gateDefinition(gate).requiredEvidence);

/**
 * Release governance, the same behaviour whichever adapter carries it: the database decides, the adapter
 * must deliver its answers and refusals intact.
 */
export function governanceBehaviour(adapter: string, setup: () => Promise<AdapterHarness>): void {
  describe(`${adapter} adapter: release governance`, () => {
    const project = "acme-erp";
    let h: AdapterHarness;
    let builds: Record<Stage, string>;

    beforeAll(async () => {
      h = await setup();
      builds = await seedProject(h.as("service"), project);
    });
    afterAll(() => h.close());

    /** A release of the staging build with G1 (CI evidence) and G2 passed. */
    async function releaseThroughG2(release: string) {
      await h.as(PEOPLE.rm).createRelease({ project, release, build: builds.staging });
      await h.as(PEOPLE.rm).signGate({ project, release, gate: "G1" });
      await h.as(PEOPLE.qa).signGate({ project, release, gate: "G2", evidence: evidenceOf("G2") });
    }

    it("takes a release from G1 to G4: signed in order, promoted by another manager, confirmed after deploy", async () => {
      const ref = { project, release: "r-happy" };
      const created = await h.as(PEOPLE.rm).createRelease({ ...ref, build: builds.staging });
      expect(created).toMatchObject({ release: "r-happy", status: "candidate", createdBy: PEOPLE.rm.login });

      const g1 = await h.as(PEOPLE.rm).signGate({ ...ref, gate: "G1" }); // CI recorded its evidence
      expect(g1).toMatchObject({ outcome: "passed", stage: "staging", nextGate: "G2", signedBy: "rm-ben" });
      await h.as(PEOPLE.qa).signGate({ ...ref, gate: "G2", evidence: evidenceOf("G2") });
      await h.as(PEOPLE.rm2).signGate({ ...ref, gate: "G3", evidence: evidenceOf("G3") });
      const approved = await h.as(PEOPLE.rm2).approveRelease(ref);
      expect(approved.status).toBe("approved");
      const deployed = await h.as("service").recordDeployment({
        project,
        branch: BRANCHES.production,
        build: builds.staging,
        release: ref.release,
      });
      expect(deployed).toMatchObject({ stage: "production", deployedBy: "service_role" });
      const g4 = await h.as(PEOPLE.sre).signGate({ ...ref, gate: "G4", evidence: evidenceOf("G4") });
      expect(g4).toMatchObject({ outcome: "passed", nextGate: null });

      const status = await h.as(PEOPLE.auditor).releaseStatus(ref);
      expect(status.status).toBe("closed");
      expect(status.gates.map((g) => [g.gate, g.outcome, g.missing.length])).toEqual([
        ["G1", "passed", 0],
        ["G2", "passed", 0],
        ["G3", "passed", 0],
        ["G4", "passed", 0],
      ]);
      expect(status.approvals).toEqual([
        expect.objectContaining({ decision: "approved", approver: "rm-chloe" }),
      ]);

      const audit = await h.as(PEOPLE.auditor).auditEvents({ ...ref, limit: 500 });
      expect(audit.filter((e) => e.action === "gate.passed").map((e) => e.subject)).toEqual([
        "G1",
        "G2",
        "G3",
        "G4",
      ]);
      for (const action of [
        "release.created",
        "approval.approved",
        "release.approved",
        "deployment.recorded",
      ])
        expect(audit.map((e) => e.action)).toContain(action);
    });

    it("refuses a gate out of order, naming the gate that must pass first", async () => {
      await h.as(PEOPLE.rm).createRelease({ project, release: "r-order", build: builds.staging });
      const refused = await refusal(
        h.as(PEOPLE.qa).signGate({ project, release: "r-order", gate: "G2", evidence: evidenceOf("G2") }),
        "gate_order",
      );
      expect(refused.message).toContain("G2 cannot be signed before G1");
      // all or nothing: the evidence sent with the refused signature was not kept
      const status = await h.as(PEOPLE.qa).releaseStatus({ project, release: "r-order" });
      expect(status.evidence.filter((e) => e.gate === "G2")).toEqual([]);
    });

    it("refuses a gate whose evidence is missing and lists what is missing", async () => {
      await h.as(PEOPLE.rm).createRelease({ project, release: "r-evidence", build: builds.staging });
      await h.as(PEOPLE.rm).signGate({ project, release: "r-evidence", gate: "G1" });
      const partial = evidenceOf("G2").slice(0, 1);
      const refused = await refusal(
        h.as(PEOPLE.qa).signGate({ project, release: "r-evidence", gate: "G2", evidence: partial }),
        "evidence_missing",
      );
      expect(refused.message).toContain("defect_register, test_evidence");
      expect(refused.hint).toContain("exception");
    });

    it("applies the decision-rights table, with the model's own words", async () => {
      await releaseThroughG2("r-rights");
      const refused = await refusal(
        h.as(PEOPLE.qa).signGate({ project, release: "r-rights", gate: "G3", evidence: evidenceOf("G3") }),
        "forbidden",
      );
      expect(refused.message).toBe(authorize("qa_tester", "gate.sign.G3", "production").reason);
      await refusal(h.as("service").signGate({ project, release: "r-rights", gate: "G3" }), "forbidden");
      // a member of another project is a stranger here
      const stranger = {
        login: "mallory",
        userId: "00000000-0000-4000-8000-00000000dead",
        role: "sre" as const,
      };
      await h.as("service").registerProject({ project: "hello", repo: "insightpulseai/hello-odoo" });
      await h
        .as("service")
        .setMember({ project: "hello", userId: stranger.userId, githubLogin: "mallory", role: "sre" });
      const outsider = await refusal(
        h.as(stranger).releaseStatus({ project, release: "r-rights" }),
        "forbidden",
      );
      expect(outsider.message).toBe("you are not a member of project acme-erp");
      expect(
        (await refusal(h.as(stranger).signGate({ project, release: "r-rights", gate: "G3" }), "forbidden"))
          .message,
      ).toBe("you are not a member of project acme-erp");
    });

    it("keeps the G2 signer from signing G3 of the same release", async () => {
      await releaseThroughG2("r-duties");
      // qa-ana signed G2; made release manager afterwards, she still may not sign G3 of this release
      await h.as("service").setMember({
        project,
        userId: PEOPLE.qa.userId,
        githubLogin: PEOPLE.qa.login,
        role: "release_manager",
      });
      try {
        const refused = await refusal(
          h.as(PEOPLE.qa).signGate({ project, release: "r-duties", gate: "G3", evidence: evidenceOf("G3") }),
          "separation_of_duties",
        );
        expect(refused.message).toContain("signed G2");
      } finally {
        await h
          .as("service")
          .setMember({ project, userId: PEOPLE.qa.userId, githubLogin: PEOPLE.qa.login, role: "qa_tester" });
      }
    });

    it("never lets an approver approve what they authored", async () => {
      await releaseThroughG2("r-author");
      await h
        .as(PEOPLE.rm2)
        .signGate({ project, release: "r-author", gate: "G3", evidence: evidenceOf("G3") });
      await refusal(h.as(PEOPLE.rm).approveRelease({ project, release: "r-author" }), "separation_of_duties");
      await expect(h.as(PEOPLE.rm2).approveRelease({ project, release: "r-author" })).resolves.toBeTruthy();
      await refusal(h.as(PEOPLE.rm2).approveRelease({ project, release: "r-author" }), "already_decided");
    });

    it("passes a gate without evidence only under an approved exception from someone else", async () => {
      await releaseThroughG2("r-exception");
      const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
      const exception = await h.as(PEOPLE.dev).requestException({
        project,
        release: "r-exception",
        type: "missing_evidence",
        rationale: "release notes are generated after the freeze",
        risk: "customers learn of changes a day late",
        gates: ["G3"],
        expiresAt,
        reviewRequired: true,
      });
      expect(exception).toMatchObject({
        status: "requested",
        requestedBy: "dev-dan",
        active: false,
        gates: ["G3"],
      });
      const noNotes = evidenceOf("G3").filter((e) => e.kind !== "release_notes");
      await refusal(
        h.as(PEOPLE.rm).signGate({ project, release: "r-exception", gate: "G3", evidence: noNotes }),
        "evidence_missing",
      );
      // exception.approve in production is the release manager's; the requester never decides
      await refusal(h.as(PEOPLE.sre).approveException({ id: exception.id }), "forbidden");
      const approved = await h
        .as(PEOPLE.rm2)
        .approveException({ id: exception.id, comment: "ok for one day" });
      expect(approved).toMatchObject({ status: "approved", approver: "rm-chloe", active: true });
      await refusal(h.as(PEOPLE.rm).approveException({ id: exception.id }), "already_decided");

      const g3 = await h
        .as(PEOPLE.rm)
        .signGate({ project, release: "r-exception", gate: "G3", evidence: noNotes });
      expect(g3).toMatchObject({ outcome: "excepted", exception: exception.id });
      const status = await h.as(PEOPLE.dev).releaseStatus({ project, release: "r-exception" });
      expect(status.gates.find((g) => g.gate === "G3")).toMatchObject({
        outcome: "excepted",
        missing: ["release_notes"],
      });
    });

    it("refuses self-approval and incomplete exceptions", async () => {
      await releaseThroughG2("r-self");
      const request = {
        project,
        release: "r-self",
        type: "tooling_outage",
        rationale: "the evidence store is down for maintenance",
        risk: "evidence is attached a day after signing",
        gates: ["G3" as const],
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        reviewRequired: false,
      };
      const mine = await h.as(PEOPLE.rm).requestException(request);
      const refused = await refusal(
        h.as(PEOPLE.rm).approveException({ id: mine.id }),
        "separation_of_duties",
      );
      expect(refused.message).toContain("cannot decide it");
      await refusal(h.as(PEOPLE.rm).requestException({ ...request, risk: "" }), "invalid_input");
      await refusal(
        h.as(PEOPLE.rm).requestException({ ...request, expiresAt: "2020-01-01T00:00:00Z" }),
        "invalid_input",
      );
      await refusal(h.as(PEOPLE.auditor).requestException(request), "forbidden");
    });

    it("confirms G4 only after a production deployment with health evidence from after it", async () => {
      await releaseThroughG2("r-g4");
      await h.as(PEOPLE.rm2).signGate({ project, release: "r-g4", gate: "G3", evidence: evidenceOf("G3") });
      await refusal(
        h.as(PEOPLE.sre).signGate({ project, release: "r-g4", gate: "G4", evidence: evidenceOf("G4") }),
        "not_deployed",
      );
      await refusal(
        h
          .as("service")
          .recordDeployment({ project, branch: BRANCHES.production, build: builds.staging, release: "r-g4" }),
        "release_not_ready",
      );
      await h.as(PEOPLE.rm2).approveRelease({ project, release: "r-g4" });
      await h
        .as(PEOPLE.sre)
        .attachEvidence({ project, release: "r-g4", gate: "G4", evidence: evidenceOf("G4")[0]! });
      await h
        .as("service")
        .recordDeployment({ project, branch: BRANCHES.production, build: builds.staging, release: "r-g4" });
      // the health evidence attached before the deployment does not count
      const refused = await refusal(
        h.as(PEOPLE.sre).signGate({ project, release: "r-g4", gate: "G4" }),
        "not_deployed",
      );
      expect(refused.message).toContain("health_checks");
      await expect(
        h.as(PEOPLE.sre).signGate({ project, release: "r-g4", gate: "G4", evidence: evidenceOf("G4") }),
      ).resolves.toMatchObject({ outcome: "passed" });
    });

    it("stops honouring an exception the moment it expires", async () => {
      await releaseThroughG2("r-expiry");
      const request = {
        project,
        release: "r-expiry",
        type: "missing_evidence",
        rationale: "rollback plan is being reviewed by the vendor",
        risk: "a rollback would be improvised",
        gates: ["G3" as const],
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        reviewRequired: true,
      };
      const used = await h.as(PEOPLE.dev).requestException(request);
      const late = await h.as(PEOPLE.dev2).requestException(request);
      await h.as(PEOPLE.rm2).approveException({ id: used.id });
      const noPlan = evidenceOf("G3").filter((e) => e.kind !== "rollback_plan");
      await h.as(PEOPLE.rm).signGate({ project, release: "r-expiry", gate: "G3", evidence: noPlan });
      // the hour passes: the database owner moves both expiries to this very instant
      await h.db.sql("update ops.exceptions set expires_at = clock_timestamp() where id = any($1)", [
        [used.id, late.id],
      ]);

      await refusal(h.as(PEOPLE.rm).approveException({ id: late.id }), "exception_inactive");
      const refused = await refusal(
        h.as(PEOPLE.rm2).approveRelease({ project, release: "r-expiry" }),
        "release_not_ready",
      );
      expect(refused.message).toContain("G3");
      const status = await h.as(PEOPLE.rm).releaseStatus({ project, release: "r-expiry" });
      expect(status.gates.find((g) => g.gate === "G3")?.outcome).toBe("missing");
      expect(status.exceptions.find((e) => e.id === used.id)?.active).toBe(false);
    });
  });
}
