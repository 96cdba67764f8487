/**
 * The G1–G4 release gates (seed 001 FR-3/FR-5/FR-6). Gates are sequential; a gate passes only with all
 * of its required evidence kinds, or when an active exception covers it. The control plane enforces the
 * same rules in SQL; the policy pack reads the outcome from the build catalog through `gateBlockers`.
 */
export const GATE_IDS = ["G1", "G2", "G3", "G4"] as const;
export type GateId = (typeof GATE_IDS)[number];

export interface GateDefinition {
  id: GateId;
  name: string;
  blocks: string;
  requiredEvidence: readonly string[];
}

export const GATES: readonly GateDefinition[] = [
  {
    id: "G1",
    name: "Build Integrity",
    blocks: "Entry to QA validation",
    requiredEvidence: ["build_log", "checks_status"],
  },
  {
    id: "G2",
    name: "Validation Readiness",
    blocks: "Entry to staging acceptance",
    requiredEvidence: ["acceptance_criteria_map", "defect_register", "test_evidence"],
  },
  {
    id: "G3",
    name: "Promotion Readiness",
    blocks: "Production promotion",
    requiredEvidence: ["evidence_package", "rollback_plan", "release_notes", "accountable_signoff"],
  },
  {
    id: "G4",
    name: "Post-Deploy Operational Confirmation",
    blocks: "Release closure",
    requiredEvidence: ["health_checks", "monitoring_baseline", "fallback_timer"],
  },
];

export const EVIDENCE_KINDS = GATES.flatMap((g) => g.requiredEvidence);

export function gateDefinition(id: GateId): GateDefinition {
  return GATES.find((g) => g.id === id)!;
}

/** Evidence kinds a gate still lacks. */
export function missingEvidence(id: GateId, presentKinds: readonly string[]): string[] {
  return gateDefinition(id).requiredEvidence.filter((kind) => !presentKinds.includes(kind));
}

export const EXCEPTION_STATUSES = ["requested", "approved", "rejected", "revoked"] as const;

/** An exception as seed 001 FR-6 defines it. */
export interface GateException {
  id: string;
  type: string;
  rationale: string;
  requestedBy: string;
  approver?: string | undefined;
  risk: string;
  expiresAt: string;
  gates: readonly GateId[];
  reviewRequired: boolean;
  status: (typeof EXCEPTION_STATUSES)[number];
}

/**
 * An exception is temporary by definition: it expires at most this many days after it is requested, so
 * a waiver cannot quietly become policy (9999-12-31). The control plane enforces the same bound
 * (ops.exception_max_lifetime, generated from this constant).
 */
export const EXCEPTION_MAX_DAYS = 30;

/** Why an exception may not expire at `expiresAt` when requested at `now`, or undefined when it may. */
export function exceptionExpiryProblem(expiresAt: Date, now: Date): string | undefined {
  if (Number.isNaN(expiresAt.getTime())) return "an exception needs an expiry time";
  if (expiresAt.getTime() <= now.getTime()) return "an exception needs an expiry in the future";
  if (expiresAt.getTime() > now.getTime() + EXCEPTION_MAX_DAYS * 86_400_000)
    return `an exception expires within ${EXCEPTION_MAX_DAYS} days of its request`;
  return undefined;
}

/** Active = approved by someone other than the requester and not yet expired (FR-6). */
export function isExceptionActive(exception: GateException, now: Date): boolean {
  return (
    exception.status === "approved" &&
    exception.approver !== undefined &&
    exception.approver !== exception.requestedBy &&
    new Date(exception.expiresAt).getTime() > now.getTime()
  );
}

export type GateOutcome = "passed" | "excepted" | "missing";

export interface GateState {
  passed: readonly GateId[];
  exceptions: readonly GateException[];
}

export function gateOutcome(state: GateState, gate: GateId, now: Date): GateOutcome {
  if (state.passed.includes(gate)) return "passed";
  const covered = state.exceptions.some((e) => e.gates.includes(gate) && isExceptionActive(e, now));
  return covered ? "excepted" : "missing";
}

/** Gates up to and including `through` that are neither passed nor covered by an active exception. */
export function gateBlockers(state: GateState, through: GateId, now: Date): GateId[] {
  const last = GATE_IDS.indexOf(through);
  return GATE_IDS.slice(0, last + 1).filter((g) => gateOutcome(state, g, now) === "missing");
}

/** The next gate that may be recorded, given the gates already passed or excepted (gates are sequential). */
export function nextGate(state: GateState, now: Date): GateId | undefined {
  return GATE_IDS.find((g) => gateOutcome(state, g, now) === "missing");
}
