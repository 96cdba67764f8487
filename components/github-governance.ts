import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import {
  BUILD_KEYS_CONFIG,
  type BuildKeys,
  parseBuildKeys,
  RETIRED_APP_CONFIG,
  storeBuildKeyCommand,
} from "../model/governance/build-keys.ts";
import {
  APP_REPO_SECRETS,
  APP_SECRETS_NAMESPACE,
  type EnvironmentGovernancePlan,
  type GithubGovernancePlan,
  ownsRepositoryGovernance,
  planRepositoryGovernance,
} from "../model/governance/github-governance.ts";
import type { MemberRole } from "../model/governance/personas.ts";
import type { Project as ProjectSpec } from "../model/input/schema/project.ts";
import { branchSlug } from "../model/naming.ts";
import type { EnvironmentPlan } from "../model/plan/environment-plan.ts";
import { readKeysConfig } from "./secret-config.ts";

export interface RepositoryGovernanceArgs {
  plan: GithubGovernancePlan;
}

/**
 * GitHub governance of one app repository: environments with deployment branch policies and reviewers,
 * the production-branch ruleset, persona teams and their access, and the app workflow's deploy
 * credentials as environment secrets. Everything it creates is decided by model/governance/github-governance.ts.
 */
export class RepositoryGovernance extends pulumi.ComponentResource {
  readonly environments: Record<string, github.RepositoryEnvironment> = {};
  private readonly missingSecrets = new Set<string>();
  private readonly config = new pulumi.Config(APP_SECRETS_NAMESPACE);
  private readonly buildKeys: BuildKeys;

  /** The governance of a project, in the one stack that owns it (see ownsRepositoryGovernance). */
  static forProject(
    name: string,
    args: { project: ProjectSpec; file: string; environments: readonly EnvironmentPlan[] },
    opts: pulumi.ComponentResourceOptions,
  ): RepositoryGovernance | undefined {
    if (!ownsRepositoryGovernance(args.environments)) return undefined;
    const plan = planRepositoryGovernance(args.project, args.file);
    return new RepositoryGovernance(`${name}-github`, { plan }, opts);
  }

  constructor(name: string, args: RepositoryGovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before anything registers, so a malformed key refuses the update cleanly.
    const buildKeys = readKeysConfig(
      new pulumi.Config(APP_SECRETS_NAMESPACE),
      BUILD_KEYS_CONFIG,
      parseBuildKeys,
    );
    super("odooops:github:RepositoryGovernance", name, args, opts);
    const { plan } = args;
    this.buildKeys = buildKeys;
    // One provider per project pins the owner; its token comes from GITHUB_TOKEN of the prod stack's run.
    const provider = new github.Provider(`${name}-provider`, { owner: plan.owner }, { parent: this });
    const child = { parent: this, provider };

    const personaTeams = new Map<MemberRole, github.Team>();
    for (const team of plan.personaTeams) {
      const role = team.role.replaceAll("_", "-");
      const resource = new github.Team(
        `${name}-team-${role}`,
        { name: team.name, description: team.description, privacy: "closed", createDefaultMaintainer: false },
        child,
      );
      personaTeams.set(team.role, resource);
      new github.TeamRepository(
        `${name}-team-${role}-access`,
        { teamId: resource.id, repository: plan.repository, permission: team.permission },
        child,
      );
      for (const user of team.members)
        new github.TeamMembership(
          `${name}-team-${role}-member-${user.toLowerCase()}`,
          { teamId: resource.id, username: user, role: "member" },
          child,
        );
    }
    for (const grant of plan.teamGrants)
      new github.TeamRepository(
        `${name}-grant-${grant.team}`,
        { teamId: grant.team, repository: plan.repository, permission: grant.permission },
        child,
      );

    const orgTeamIds = new Map<string, pulumi.Output<number>>();
    const orgTeamId = (slug: string) => {
      const known = orgTeamIds.get(slug);
      if (known) return known;
      const id = github
        .getTeamOutput({ slug, summaryOnly: true }, { parent: this, provider })
        .id.apply(Number);
      orgTeamIds.set(slug, id);
      return id;
    };
    for (const env of plan.environments) {
      const reviewerTeams = [
        ...env.reviewers.personaTeams.map((role) => personaTeams.get(role)!.id.apply(Number)),
        ...env.reviewers.teams.map(orgTeamId),
      ];
      this.environments[env.environment] = this.environment(name, plan, env, reviewerTeams, child);
    }

    const protection = plan.protection;
    new github.RepositoryRuleset(
      `${name}-production-branch`,
      {
        repository: plan.repository,
        name: `odooops: production branch ${protection.branch}`,
        target: "branch",
        enforcement: "active",
        conditions: { refName: { includes: [protection.ref], excludes: [] } },
        rules: {
          deletion: protection.forbidDeletion,
          nonFastForward: protection.forbidForcePush,
          pullRequest: {
            requiredApprovingReviewCount: protection.requiredApprovingReviews,
            requireLastPushApproval: protection.requireLastPushApproval,
            dismissStaleReviewsOnPush: protection.dismissStaleReviews,
          },
          requiredStatusChecks: {
            requiredChecks: protection.requiredChecks.map((context) => ({ context })),
            strictRequiredStatusChecksPolicy: true,
          },
        },
      },
      child,
    );
    if (this.config.get(RETIRED_APP_CONFIG) !== undefined)
      pulumi.log.warn(
        `${APP_SECRETS_NAMESPACE}:${RETIRED_APP_CONFIG} is ignored: app repositories no longer get the service-role ` +
          `key; remove it and rotate that key (build keys replace it: ${APP_SECRETS_NAMESPACE}:${BUILD_KEYS_CONFIG})`,
        this,
      );
    // Previews and the offline plan run without deploy credentials; only a real update must say so.
    if (this.missingSecrets.size > 0 && !pulumi.runtime.isDryRun())
      pulumi.log.warn(
        `${plan.owner}/${plan.repository} gets no deploy credentials, so its builds cannot be recorded or ` +
          `deployed; set ${[...this.missingSecrets].join(", ")} with pulumi config set --secret`,
        this,
      );
    this.registerOutputs({ environments: Object.keys(this.environments) });
  }

  private environment(
    name: string,
    plan: GithubGovernancePlan,
    env: EnvironmentGovernancePlan,
    reviewerTeams: pulumi.Output<number>[],
    child: pulumi.CustomResourceOptions,
  ): github.RepositoryEnvironment {
    const prefix = `${name}-${env.environment}`;
    const environment = new github.RepositoryEnvironment(
      prefix,
      {
        repository: plan.repository,
        environment: env.environment,
        reviewers: reviewerTeams.length > 0 ? [{ teams: reviewerTeams, users: [] }] : [],
        preventSelfReview: env.preventSelfReview,
        waitTimer: env.waitTimerMinutes,
        canAdminsBypass: env.canAdminsBypass,
        // Only branches the rules route to this stage may deploy; no pattern means no branch may.
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
      child,
    );
    const envChild = { ...child, dependsOn: [environment] };
    for (const pattern of env.branchPatterns)
      new github.RepositoryEnvironmentDeploymentPolicy(
        `${prefix}-deploy-${branchSlug(pattern)}`,
        { repository: plan.repository, environment: environment.environment, branchPattern: pattern },
        envChild,
      );
    for (const secret of APP_REPO_SECRETS.filter((s) => env.secrets.includes(s.name))) {
      const value = secret.perProjectStage
        ? this.buildKey(plan.project, env.environment)
        : this.config.getSecret(secret.config);
      if (value === undefined) {
        this.missingSecrets.add(
          secret.perProjectStage
            ? `${APP_SECRETS_NAMESPACE}:${secret.config}.${plan.project}.${env.environment} (${storeBuildKeyCommand(plan.project, env.environment)})`
            : `${APP_SECRETS_NAMESPACE}:${secret.config}`,
        );
        continue;
      }
      new github.ActionsEnvironmentSecret(
        `${prefix}-secret-${secret.name.toLowerCase().replaceAll("_", "-")}`,
        {
          repository: plan.repository,
          environment: environment.environment,
          secretName: secret.name,
          plaintextValue: value,
        },
        envChild,
      );
    }
    return environment;
  }

  private buildKey(project: string, stage: EnvironmentGovernancePlan["environment"]) {
    const key = this.buildKeys[project]?.[stage];
    return key === undefined ? undefined : pulumi.secret(key);
  }
}
