import { matchesPattern } from "../glob.ts";
import { planRepositoryGovernance } from "../governance/github-governance.ts";
import { G1_REQUIRED_CHECKS } from "../governance/governance-limits.ts";
import type { Project } from "../input/schema/project.ts";
import type { Stage } from "../stages.ts";
import { broadCoverage, describeCoverage, MAX_SSH_ADDRESS_FRACTION } from "./address-space.ts";
import type { RuleFinding } from "./finding.ts";

/** Least privilege: SSH only from named networks, production deployments reviewed by someone else. */

/**
 * SSH sources are judged by the address space their union covers, per family, not by their spelling:
 * two /1 halves open SSH to the world as surely as /0 does.
 */
export function sshFindings(project: Project, stages: readonly Stage[]): RuleFinding[] {
  return stages.flatMap((stage) => {
    const sources = project.environments[stage].sshSources;
    return broadCoverage(sources).map((coverage) => {
      const listed = coverage.sources.map((i) => sources[i]).join(", ");
      return {
        field: `environments.${stage}.sshSources[${coverage.sources[0]}]`,
        what: `${stage} hosts accept SSH from ${listed}: together ${describeCoverage(coverage)}, more than the ${describeCoverage({ ...coverage, fraction: MAX_SSH_ADDRESS_FRACTION })} a named network needs`,
        fix: "list only the CIDR blocks of your office, VPN or bastion (or none: no SSH at all)",
      };
    });
  });
}

/**
 * Production deployments wait for a reviewer who is not the person who started them. Who reviews is
 * model/governance/github-governance.ts's decision (the holders of release.promote); this checks someone does.
 */
export function reviewerFindings(project: Project, file: string): RuleFinding[] {
  const plan = planRepositoryGovernance(project, file).environments.find(
    (e) => e.environment === "production",
  )!;
  const findings: RuleFinding[] = [];
  const { reviewers } = plan;
  if (reviewers.personaTeams.length === 0 && reviewers.teams.length === 0) {
    const roles = reviewers.roles.join(", ");
    findings.push({
      field: `personas.${reviewers.roles[0] ?? "release_manager"}`,
      what: `nobody can approve production deployments: the personas that review them (${roles}) have no users or teams`,
      fix: `name the ${roles} under personas, e.g. personas: { release_manager: { users: [<github login>] } }`,
    });
  }
  if (!plan.preventSelfReview)
    findings.push({
      field: "governance.production.preventSelfReview",
      what: "whoever starts a production deployment may approve it (preventSelfReview: false)",
      fix: "remove preventSelfReview: false from governance.production; self-review is prevented by default",
    });
  return findings;
}

/** GitHub refuses an environment with more than six required reviewers (users and teams together). */
export const GITHUB_MAX_ENVIRONMENT_REVIEWERS = 6;

/** Each GitHub environment's reviewers (persona teams plus the teams the YAML names) fit GitHub's limit. */
export function reviewerLimitFindings(project: Project, file: string): RuleFinding[] {
  return planRepositoryGovernance(project, file).environments.flatMap(({ environment, reviewers }) => {
    const count = reviewers.personaTeams.length + reviewers.teams.length;
    if (count <= GITHUB_MAX_ENVIRONMENT_REVIEWERS) return [];
    const role =
      reviewers.roles.find((r) => (project.personas[r]?.teams.length ?? 0) > 0) ?? reviewers.roles[0];
    return [
      {
        field: `personas.${role}.teams`,
        what: `the ${environment} GitHub environment would need ${count} required reviewers (the persona teams of ${reviewers.roles.join(", ")} and the teams named under them); GitHub accepts at most ${GITHUB_MAX_ENVIRONMENT_REVIEWERS}, so the deploy would fail`,
        fix: `name fewer teams under ${reviewers.roles.join(" and ")}: list their people under users instead (they join the persona team, which counts once)`,
      },
    ];
  });
}

/** The production branch requires at least the checks G1's evidence is made of (G1_REQUIRED_CHECKS). */
export function requiredCheckFindings(project: Project): RuleFinding[] {
  const listed = project.governance.requiredChecks;
  const missing = G1_REQUIRED_CHECKS.filter((check) => !listed.includes(check));
  if (missing.length === 0) return [];
  const all = [...listed, ...missing].join(", ");
  return [
    {
      field: "governance.requiredChecks",
      what:
        listed.length === 0
          ? "the production branch requires no status checks, so code reaches production without the G1 build and tests"
          : `the production branch does not require ${missing.join(", ")}, which G1 (Build Integrity) reads as its checks evidence, so code can merge without it`,
      fix: `list the G1 checks: requiredChecks: [${all}]`,
    },
  ];
}

/** Required-check settings on a GitHub repository, from rulesets and classic branch protections alike. */
export interface BranchCheckRule {
  /** `refs/heads/<pattern>`, `~DEFAULT_BRANCH`, `~ALL` (rulesets) or a bare pattern (branch protection). */
  refs: readonly string[];
  excludes: readonly string[];
  active: boolean;
  checks: readonly string[];
}

function refCovers(ref: string, branch: string): boolean {
  if (ref === "~ALL") return true;
  // The app repository's default branch is its production branch: that is where promotions merge.
  if (ref === "~DEFAULT_BRANCH") return true;
  return matchesPattern(ref.replace(/^refs\/heads\//, ""), branch);
}

/** The checks a branch must pass, given every rule on the repository. */
export function requiredChecksOn(branch: string, rules: readonly BranchCheckRule[]): Set<string> {
  const checks = new Set<string>();
  for (const rule of rules) {
    if (!rule.active) continue;
    if (!rule.refs.some((r) => refCovers(r, branch)) || rule.excludes.some((r) => refCovers(r, branch)))
      continue;
    for (const check of rule.checks) checks.add(check);
  }
  return checks;
}
