import type { Release } from "../catalog.ts";
import {
  type GateException,
  type GateId,
  gateBlockers,
  gateDefinition,
  isExceptionActive,
} from "../gates.ts";

/**
 * A production deploy needs the release it ships to have passed G1–G3, or an active, approved,
 * unexpired exception covering each gate that did not pass (seed 001 FR-3, FR-6). The gate rules
 * themselves are model/gates.ts's; this only explains the outcome.
 */
export const GATES_BEFORE_PRODUCTION: GateId = "G3";

/** Why an exception that names a gate does not cover it. */
export function whyInactive(exception: GateException, now: Date): string {
  if (exception.status !== "approved")
    return `exception ${exception.id} is ${exception.status}, not approved`;
  if (exception.approver === undefined) return `exception ${exception.id} has no approver`;
  if (exception.approver === exception.requestedBy)
    return `exception ${exception.id} was approved by its own requester (${exception.approver})`;
  if (new Date(exception.expiresAt).getTime() <= now.getTime())
    return `exception ${exception.id} expired at ${exception.expiresAt}`;
  return `exception ${exception.id} is active`;
}

/**
 * What a plan says about production's release gates when it has no catalog to read them from (a fork
 * PR, or a run without a control plane): advice, never example data; `pulumi up` refuses instead.
 */
export const GATES_NOT_EVALUATED: GateProblem = {
  what: "release gates not evaluated (no control plane)",
  fix: "the gates are checked by the same-repo PR plan (read-only catalog key) and before `pulumi up`, which refuses production without a control plane; `--catalog <file>` evaluates them against a file",
};

export interface GateProblem {
  what: string;
  fix: string;
}

export function releaseGateProblem(
  image: string,
  release: Release | undefined,
  now: Date,
): GateProblem | undefined {
  if (!release)
    return {
      what: `production would run ${image}, but the build catalog has no release record for it, so none of G1–G3 is known to have passed`,
      fix: "promote an image that was built and validated through the release process (its build is recorded in the catalog / control plane), or record its release",
    };
  const blockers = gateBlockers(release, GATES_BEFORE_PRODUCTION, now);
  if (blockers.length === 0) return undefined;
  const reasons = blockers.map((gate) => {
    const tried = release.exceptions.filter((e) => e.gates.includes(gate) && !isExceptionActive(e, now));
    const why = tried.length > 0 ? `; ${tried.map((e) => whyInactive(e, now)).join("; ")}` : "";
    return `${gate} ${gateDefinition(gate).name} has not passed${why}`;
  });
  return {
    what: `release ${release.id} is not ready for production: ${reasons.join(", ")}`,
    fix: `record the missing evidence and sign ${blockers.join(", ")} (odooops gates), or have an approver other than the requester approve an unexpired exception for ${blockers.join(", ")}`,
  };
}
