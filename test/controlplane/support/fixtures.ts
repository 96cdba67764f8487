import { createHash } from "node:crypto";
import { expect } from "vitest";
import { ControlPlaneError, type ControlPlaneErrorKind } from "../../../controlplane/errors.ts";
import type { ControlPlane } from "../../../controlplane/types.ts";
import type { MemberRole } from "../../../model/personas.ts";
import type { Stage } from "../../../model/stages.ts";

export interface Person {
  login: string;
  userId: string;
  role: MemberRole;
}

/** A stable Supabase user id per GitHub login, so fixtures read the same in every run. */
export function userIdFor(login: string): string {
  const hex = createHash("sha256").update(login).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function person(login: string, role: MemberRole): Person {
  return { login, userId: userIdFor(login), role };
}

/** Two people per persona where rules need a second one (G2 ≠ G3 signer, approver ≠ requester). */
export const PEOPLE = {
  dev: person("dev-dan", "developer"),
  dev2: person("dev-dora", "developer"),
  qa: person("qa-ana", "qa_tester"),
  qa2: person("qa-quinn", "qa_tester"),
  rm: person("rm-ben", "release_manager"),
  rm2: person("rm-chloe", "release_manager"),
  sre: person("sre-sam", "sre"),
  sre2: person("sre-sol", "sre"),
  auditor: person("audit-dana", "auditor"),
} as const;

export const BRANCHES: Record<Stage, string> = {
  production: "main",
  staging: "release/2026.12",
  development: "feature/invoice-ocr",
};

export const REQUIRED_CHECKS = ["odooops/build", "odooops/module-tests"];

/** The branch rules of the example project (examples/projects/acme-erp.yaml): where each branch's stage comes from. */
export const BRANCH_RULES = [
  { match: "main", stage: "production" },
  { match: "release/*", stage: "staging" },
  { match: "feature/*", stage: "development" },
] as const;

export function image(seed: string): string {
  return `ghcr.io/insightpulseai/acme-erp@sha256:${createHash("sha256").update(seed).digest("hex")}`;
}

/** The same cast under other logins, for a second project whose members are all different people. */
export function otherTeam(prefix: string): Record<keyof typeof PEOPLE, Person> {
  const entries = Object.entries(PEOPLE).map(([key, p]) => [key, person(`${prefix}-${p.login}`, p.role)]);
  return Object.fromEntries(entries) as Record<keyof typeof PEOPLE, Person>;
}

/** Registers a project with every person as a member and one CI build per stage (author dev-dan). */
export async function seedProject(
  service: ControlPlane,
  project: string,
  team: Record<string, Person> = PEOPLE,
): Promise<Record<Stage, string>> {
  await service.registerProject({
    project,
    repo: `insightpulseai/${project}`,
    requiredChecks: REQUIRED_CHECKS,
    branches: BRANCH_RULES,
  });
  for (const p of Object.values(team))
    await service.setMember({ project, userId: p.userId, githubLogin: p.login, role: p.role });
  const builds = {} as Record<Stage, string>;
  for (const stage of ["production", "staging", "development"] as const) {
    builds[stage] = `b-${stage.slice(0, 4)}-1`;
    await service.recordBuild({
      project,
      branch: BRANCHES[stage],
      stage,
      build: builds[stage],
      image: image(`${project}-${stage}`),
      commit: "4f2a9c1e8b7d",
      checks: { "odooops/build": "success", "odooops/module-tests": "success" },
      author: PEOPLE.dev.login,
      logUri: `https://github.com/insightpulseai/${project}/actions/runs/${stage.length}`,
    });
  }
  return builds;
}

export function evidenceFor(kinds: readonly string[], prefix = "https://evidence.example/") {
  return kinds.map((kind) => ({ kind, uri: `${prefix}${kind}` }));
}

/** Expects a ControlPlaneError of a kind; returns it for further checks on its message. */
export async function refusal(
  promise: Promise<unknown>,
  kind: ControlPlaneErrorKind,
): Promise<ControlPlaneError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a ${kind} refusal, got success`).toBeInstanceOf(ControlPlaneError);
  const refused = error as ControlPlaneError;
  expect(refused.kind, refused.describe()).toBe(kind);
  return refused;
}
