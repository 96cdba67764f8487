import { productionBranch } from "../input/branches.ts";
import type { Project } from "../input/schema/project.ts";
import { STAGES, type Stage } from "../stages.ts";
import { BUILD_KEYS_CONFIG } from "./build-keys.ts";
import { type Action, DECISION_RIGHTS } from "./decision-rights.ts";
import { githubBranchPatternsFor } from "./github-patterns.ts";
import { MEMBER_ROLES, type MemberRole } from "./personas.ts";

/**
 * GitHub governance of a project's app repository, decided here as plain data (style §1): one GitHub
 * environment per stage with the branch rules as deployment branch policies and the reviewers the
 * decision-rights table names, a ruleset on the production branch, and one team per member role.
 * components/github-governance.ts only materializes this plan.
 */

/** GitHub repository roles, weakest first. */
export const REPOSITORY_PERMISSIONS = ["pull", "triage", "push", "maintain", "admin"] as const;
export type RepositoryPermission = (typeof REPOSITORY_PERMISSIONS)[number];

/**
 * The least repository role each member role needs. Nobody gets maintain or admin: environments,
 * rulesets and teams belong to this program, and a hand edit there would bypass review.
 * - developer: push — pushes feature and release branches; the production ruleset keeps pushes off
 *   the production branch unless a reviewed PR with green G1 checks merges them.
 * - release_manager: push — merges promotion PRs and tags releases; approving a deployment needs only
 *   read access, and maintain would only add settings this program owns.
 * - qa_tester: triage — files and labels defects, requests reviews, approves staging; writes no code.
 * - sre: triage — runs incident issues; operates the runtime through odooops, never through the app
 *   repo, and must not ship application changes outside release governance (seed 000).
 * - auditor: pull — reads everything, changes nothing.
 */
export const ROLE_PERMISSION: Readonly<Record<MemberRole, RepositoryPermission>> = {
  developer: "push",
  release_manager: "push",
  qa_tester: "triage",
  sre: "triage",
  auditor: "pull",
};

/**
 * The decision right a reviewer exercises by approving a deployment into an environment; whoever holds
 * it in decision-rights.ts reviews. Production: promotion (release managers). Staging: accepting a build
 * for validation (QA, who sign G2). Development previews need no approval.
 */
export const REVIEW_ACTION: Readonly<Partial<Record<Stage, Action>>> = {
  production: "release.promote",
  staging: "gate.sign.G2",
};

/** Deploy credentials the app-repo workflow needs, kept as environment secrets of the app repo. */
export interface AppRepoSecret {
  /** Secret name in the app repo, as the reusable workflow reads it. */
  name: string;
  /** Key of the Pulumi config secret holding the value, in APP_SECRETS_NAMESPACE. */
  config: string;
  stages: readonly Stage[];
  /** The value differs per project and stage: config holds `{ <project>: { <stage>: value } }`. */
  perProjectStage?: true;
}

export const APP_SECRETS_NAMESPACE = "odooops-app";

/**
 * Every branch the rules route to a stage can change the workflow that reads that stage's secrets (the
 * development environment admits feature branches), so an app repo holds nothing broader than what its
 * builds need: never the service-role key, which bypasses every rule of the control plane.
 */
export const APP_REPO_SECRETS: readonly AppRepoSecret[] = [
  { name: "ODOOOPS_CONTROL_PLANE_URL", config: "controlPlaneUrl", stages: STAGES },
  // Supabase's public anon key: through the API it may call ops.record_build_with_key and nothing else.
  { name: "ODOOOPS_CONTROL_PLANE_ANON_KEY", config: "controlPlaneAnonKey", stages: STAGES },
  // Records builds of this project in this stage only (model/governance/build-keys.ts); one key per environment.
  { name: "ODOOOPS_BUILD_KEY", config: BUILD_KEYS_CONFIG, stages: STAGES, perProjectStage: true },
  // No dispatch token: the platform pulls new builds from the control plane (deploy.yml's schedule), so
  // nothing here can write, or trigger a workflow in, the platform repository.
];

export interface ReviewerPlan {
  /** Member roles that hold REVIEW_ACTION for the stage. */
  roles: MemberRole[];
  /** This project's persona teams (by role) that have members and therefore can approve. */
  personaTeams: MemberRole[];
  /** Existing organisation teams the YAML names under those roles (slugs). */
  teams: string[];
}

export interface EnvironmentGovernancePlan {
  /** The GitHub environment's name: the stage. */
  environment: Stage;
  /** The branch rules routing branches to this stage, as written, in rule order. */
  rules: string[];
  /** The same rules as GitHub fnmatch patterns (see github-patterns.ts). */
  branchPatterns: string[];
  reviewers: ReviewerPlan;
  preventSelfReview: boolean;
  waitTimerMinutes: number;
  /** Admins must not wave a deployment through where reviewers are required. */
  canAdminsBypass: boolean;
  secrets: string[];
}

export interface ProductionProtectionPlan {
  branch: string;
  ref: string;
  /** The G1 checks: merging into production needs them green on the PR's latest commit. */
  requiredChecks: string[];
  requiredApprovingReviews: number;
  /** The last push must be approved by someone other than its pusher. */
  requireLastPushApproval: boolean;
  dismissStaleReviews: boolean;
  forbidForcePush: boolean;
  forbidDeletion: boolean;
}

export interface PersonaTeamPlan {
  role: MemberRole;
  name: string;
  description: string;
  permission: RepositoryPermission;
  members: string[];
}

/** Repository access for an organisation team the YAML names; the strongest of its roles wins. */
export interface TeamGrantPlan {
  team: string;
  roles: MemberRole[];
  permission: RepositoryPermission;
}

export interface GithubGovernancePlan {
  project: string;
  file: string;
  owner: string;
  repository: string;
  environments: EnvironmentGovernancePlan[];
  protection: ProductionProtectionPlan;
  personaTeams: PersonaTeamPlan[];
  teamGrants: TeamGrantPlan[];
}

/**
 * Governance lives in the stack that owns production: whoever can edit the production environment's
 * reviewers can bypass them, so the token that manages app repos belongs with production credentials,
 * and the staging stack never holds it. Exactly one stack creates these resources.
 */
export function ownsRepositoryGovernance(environments: readonly { stage: Stage }[]): boolean {
  return environments.some((e) => e.stage === "production");
}

export function personaTeamName(project: string, role: MemberRole): string {
  return `${project}-${role.replaceAll("_", "-")}`;
}

export function strongestPermission(permissions: readonly RepositoryPermission[]): RepositoryPermission {
  return REPOSITORY_PERMISSIONS[Math.max(...permissions.map((p) => REPOSITORY_PERMISSIONS.indexOf(p)))]!;
}

export function planRepositoryGovernance(project: Project, file: string): GithubGovernancePlan {
  const [owner, repository] = project.repo.split("/") as [string, string];
  const members = (role: MemberRole) => project.personas[role] ?? { users: [], teams: [] };
  const personaTeams = MEMBER_ROLES.map((role) => ({
    role,
    name: personaTeamName(project.name, role),
    description: `odooops ${role} of ${project.name} (managed from ${file})`,
    permission: ROLE_PERMISSION[role],
    members: [...members(role).users],
  }));

  const grants = new Map<string, MemberRole[]>();
  for (const role of MEMBER_ROLES)
    for (const team of members(role).teams) grants.set(team, [...(grants.get(team) ?? []), role]);
  const teamGrants = [...grants].map(([team, roles]) => ({
    team,
    roles,
    permission: strongestPermission(roles.map((r) => ROLE_PERMISSION[r])),
  }));

  const environments = STAGES.map((stage): EnvironmentGovernancePlan => {
    const rules = project.branches.filter((r) => r.stage === stage).map((r) => r.match);
    const action = REVIEW_ACTION[stage];
    const roles = action ? [...(DECISION_RIGHTS[action][stage] ?? [])] : [];
    const settings =
      stage === "production"
        ? project.governance.production
        : stage === "staging"
          ? { ...project.governance.staging, waitTimerMinutes: 0 }
          : { preventSelfReview: false, waitTimerMinutes: 0 };
    return {
      environment: stage,
      rules,
      branchPatterns: githubBranchPatternsFor(rules),
      reviewers: {
        roles,
        personaTeams: roles.filter((r) => members(r).users.length > 0),
        teams: [...new Set(roles.flatMap((r) => members(r).teams))],
      },
      preventSelfReview: settings.preventSelfReview,
      waitTimerMinutes: settings.waitTimerMinutes,
      canAdminsBypass: roles.length === 0,
      secrets: APP_REPO_SECRETS.filter((s) => s.stages.includes(stage)).map((s) => s.name),
    };
  });

  const branch = productionBranch(project);
  return {
    project: project.name,
    file,
    owner,
    repository,
    environments,
    protection: {
      branch,
      ref: `refs/heads/${branch}`,
      requiredChecks: [...project.governance.requiredChecks],
      requiredApprovingReviews: 1,
      requireLastPushApproval: true,
      dismissStaleReviews: true,
      forbidForcePush: true,
      forbidDeletion: true,
    },
    personaTeams,
    teamGrants,
  };
}
