import { describe, expect, it } from "vitest";
import {
  EXCEPTION_MAX_DAYS,
  exceptionExpiryProblem,
  type GateException,
  gateBlockers,
  gateOutcome,
  isExceptionActive,
  missingEvidence,
  nextGate,
} from "../../../model/governance/gates.ts";

const now = new Date("2026-11-23T12:00:00Z");
const exception = (change: Partial<GateException> = {}): GateException => ({
  id: "ex-1",
  type: "emergency-fix",
  rationale: "payroll run blocked",
  requestedBy: "dev-a",
  approver: "rm-b",
  risk: "UAT skipped for a one-line fix",
  expiresAt: "2026-11-24T00:00:00Z",
  gates: ["G2"],
  reviewRequired: true,
  status: "approved",
  ...change,
});

describe("release gates", () => {
  it("lists the evidence a gate still lacks", () => {
    expect(missingEvidence("G3", ["rollback_plan", "release_notes"])).toEqual([
      "evidence_package",
      "accountable_signoff",
    ]);
    expect(missingEvidence("G1", ["build_log", "checks_status"])).toEqual([]);
  });

  it("lets an active exception cover a missing gate", () => {
    const state = { passed: ["G1", "G3"] as const, exceptions: [exception()] };
    expect(gateOutcome(state, "G2", now)).toBe("excepted");
    expect(gateBlockers(state, "G3", now)).toEqual([]);
  });

  it.each([
    ["expired", { expiresAt: "2026-11-23T11:59:59Z" }],
    ["only requested", { status: "requested" as const }],
    ["approved by its requester", { approver: "dev-a" }],
    ["without an approver", { approver: undefined }],
    ["revoked", { status: "revoked" as const }],
  ])("does not count an exception that is %s", (_what, change) => {
    expect(isExceptionActive(exception(change), now)).toBe(false);
    expect(gateBlockers({ passed: ["G1", "G3"], exceptions: [exception(change)] }, "G3", now)).toEqual([
      "G2",
    ]);
  });

  it("does not let an exception for one gate cover another", () => {
    expect(gateBlockers({ passed: ["G1"], exceptions: [exception()] }, "G3", now)).toEqual(["G3"]);
  });

  it("names the next gate in sequence", () => {
    expect(nextGate({ passed: [], exceptions: [] }, now)).toBe("G1");
    expect(nextGate({ passed: ["G1", "G2"], exceptions: [] }, now)).toBe("G3");
    expect(nextGate({ passed: ["G1", "G2", "G3", "G4"], exceptions: [] }, now)).toBeUndefined();
  });

  it("bounds an exception's expiry: in the future, within EXCEPTION_MAX_DAYS of its request", () => {
    const at = (ms: number) => new Date(now.getTime() + ms);
    const day = 86_400_000;
    expect(exceptionExpiryProblem(at(day), now)).toBeUndefined();
    expect(exceptionExpiryProblem(at(EXCEPTION_MAX_DAYS * day), now)).toBeUndefined();
    expect(exceptionExpiryProblem(at(EXCEPTION_MAX_DAYS * day + 1), now)).toBe(
      `an exception expires within ${EXCEPTION_MAX_DAYS} days of its request`,
    );
    expect(exceptionExpiryProblem(new Date("9999-12-31T00:00:00Z"), now)).toContain("within");
    expect(exceptionExpiryProblem(now, now)).toBe("an exception needs an expiry in the future");
  });
});
