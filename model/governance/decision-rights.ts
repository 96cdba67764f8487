import { STAGES, type Stage } from "../stages.ts";
import type { MemberRole } from "./personas.ts";

/**
 * Decision rights: one table, read by the CLI before it acts and mirrored cell for cell by the
 * control plane's RLS and write functions (supabase/migrations). Each cell lists who may take the
 * action in that stage; an absent cell means nobody. Least privilege: production shell is SRE only,
 * production promotion is the release manager's, QA signs G2 and nothing in production.
 */
export const ACTIONS = [
  "deploy",
  "logs.read",
  "shell.open",
  "release.create",
  "release.promote",
  "release.rollback",
  "gate.sign.G1",
  "gate.sign.G2",
  "gate.sign.G3",
  "gate.sign.G4",
  "evidence.attach",
  "exception.request",
  "exception.approve",
  "backup.run",
  "backup.restore",
  "restore.approve",
  "restore.drill",
  "environment.keep",
  "environment.destroy",
  "build_key.create",
  "build_key.revoke",
  "audit.read",
] as const;
export type Action = (typeof ACTIONS)[number];

type Cell = readonly MemberRole[];
const ALL_READERS: Cell = ["developer", "qa_tester", "release_manager", "sre", "auditor"];

export const DECISION_RIGHTS: Readonly<Record<Action, Partial<Record<Stage, Cell>>>> = {
  deploy: {
    development: ["developer", "release_manager"],
    staging: ["developer", "release_manager"],
    production: ["release_manager"],
  },
  "logs.read": {
    development: ["developer", "qa_tester", "release_manager", "sre"],
    staging: ["developer", "qa_tester", "release_manager", "sre"],
    production: ["release_manager", "sre"],
  },
  "shell.open": {
    development: ["developer", "sre"],
    staging: ["developer", "sre"],
    production: ["sre"],
  },
  "release.create": { production: ["release_manager"] },
  "release.promote": { production: ["release_manager"] },
  "release.rollback": { production: ["release_manager", "sre"] },
  "gate.sign.G1": {
    development: ["developer", "release_manager"],
    staging: ["developer", "release_manager"],
    production: ["release_manager"],
  },
  "gate.sign.G2": { staging: ["qa_tester"] },
  "gate.sign.G3": { production: ["release_manager"] },
  "gate.sign.G4": { production: ["sre"] },
  "evidence.attach": {
    development: ["developer", "qa_tester"],
    staging: ["developer", "qa_tester", "release_manager"],
    production: ["release_manager", "sre"],
  },
  "exception.request": {
    development: ["developer", "qa_tester", "release_manager", "sre"],
    staging: ["developer", "qa_tester", "release_manager", "sre"],
    production: ["developer", "qa_tester", "release_manager", "sre"],
  },
  "exception.approve": {
    development: ["release_manager", "sre"],
    staging: ["release_manager", "sre"],
    production: ["release_manager"],
  },
  "backup.run": {
    development: ["developer", "sre"],
    staging: ["release_manager", "sre"],
    production: ["release_manager", "sre"],
  },
  "backup.restore": {
    development: ["developer", "sre"],
    staging: ["release_manager", "sre"],
    production: ["sre"],
  },
  // Production restores need a second person: a release manager approves the SRE's request, which the
  // control plane consumes when the restore is granted (one use, unexpired, the approved backup).
  "restore.approve": { production: ["release_manager"] },
  "restore.drill": { staging: ["sre"], production: ["sre"] },
  "environment.keep": { development: ["developer", "release_manager"], staging: ["release_manager"] },
  "environment.destroy": { development: ["developer", "sre"], staging: ["release_manager", "sre"] },
  // A build key lets an app repo's CI record builds (and their G1 evidence) in a stage, so nobody who
  // pushes code mints one: release managers and SREs, production release managers only. Revoking is
  // the safe direction, so SREs may also cut off a production key during an incident.
  "build_key.create": {
    development: ["release_manager", "sre"],
    staging: ["release_manager", "sre"],
    production: ["release_manager"],
  },
  "build_key.revoke": {
    development: ["release_manager", "sre"],
    staging: ["release_manager", "sre"],
    production: ["release_manager", "sre"],
  },
  "audit.read": { development: ALL_READERS, staging: ALL_READERS, production: ALL_READERS },
};

export interface Authorization {
  allowed: boolean;
  reason: string;
}

export function authorize(role: MemberRole, action: Action, stage: Stage): Authorization {
  const allowedRoles = DECISION_RIGHTS[action][stage] ?? [];
  if (allowedRoles.includes(role)) return { allowed: true, reason: `${role} may ${action} in ${stage}` };
  const who = allowedRoles.length > 0 ? `only ${allowedRoles.join(", ")} may` : "nobody may";
  return { allowed: false, reason: `${role} may not ${action} in ${stage}: ${who} ${action} in ${stage}` };
}

/** Every (role, action, stage) cell, for parity tests against the control plane. */
export function* decisionCells(roles: readonly MemberRole[]): Generator<[MemberRole, Action, Stage]> {
  for (const role of roles)
    for (const action of ACTIONS) for (const stage of STAGES) yield [role, action, stage];
}
