import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { productionBranch } from "../model/input/branches.ts";
import {
  type BranchCheckRule,
  requiredCheckFindings,
  requiredChecksOn,
  reviewerFindings,
  reviewerLimitFindings,
  sshFindings,
} from "../model/rules/access.ts";
import { describeCoverage } from "../model/rules/address-space.ts";
import { readProjectFacts } from "../model/rules/facts.ts";
import { formatFinding } from "../model/rules/finding.ts";
import { broadSshExposure } from "../model/rules/network.ts";
import { separationOfDutiesFindings } from "../model/rules/separation-of-duties.ts";
import { providerRules } from "./environment-safety.ts";
import {
  forProject,
  forType,
  known,
  listLength,
  type Props,
  records,
  reportProjectFinding,
  resourceWhere,
  strings,
  TYPES,
  text,
} from "./support/resources.ts";
import { StackGraph } from "./support/stack-graph.ts";

/** Least privilege: SSH from named networks only; production changes reviewed by someone else and checked. */

export const sshNotOpenToWorld: ResourceValidationPolicy = {
  name: "ssh-not-open-to-world",
  description:
    "No host accepts SSH from the whole Internet or a very broad part of it (more than a /8), however the ranges are spelled.",
  enforcementLevel: "mandatory",
  validateResource: [
    forProject((facts) => sshFindings(facts.project, facts.stages)),
    forType(TYPES.firewall, (props, args, report) => {
      const inbound = known(() => providerRules(props.inboundRules, "sourceAddresses")) ?? [];
      const { sources, broad } = broadSshExposure(inbound);
      if (broad.length > 0)
        report(
          formatFinding({
            what: `firewall ${args.name} admits SSH (port 22) from ${broad
              .map((c) => `${c.sources.map((i) => sources[i]).join(", ")} (${describeCoverage(c)})`)
              .join(" and ")}`,
            where: resourceWhere(args),
            fix: "admit SSH only from the project's sshSources and the deployer's CIDR blocks",
          }),
        );
    }),
  ],
};

export const productionEnvironmentReviewers: ResourceValidationPolicy = {
  name: "production-environment-reviewers",
  description: "Production deployments wait for a reviewer, and nobody may approve their own deployment.",
  enforcementLevel: "mandatory",
  validateResource: [
    forProject((facts) =>
      facts.stages.includes("production") ? reviewerFindings(facts.project, facts.file) : [],
    ),
    forType(TYPES.repositoryEnvironment, (props, args, report) => {
      if (known(() => props.environment) !== "production") return;
      const problems: string[] = [];
      const reviewers = known(() => records(props.reviewers));
      // A list only known at deploy time (team ids of new teams) is taken as filled.
      const size = (read: () => unknown) => known(() => listLength(read())) ?? 1;
      const named = reviewers?.some((r) => size(() => r.teams) + size(() => r.users) > 0);
      if (named === false) problems.push("has no required reviewers");
      if (known(() => props.preventSelfReview) !== true)
        problems.push("lets a deployer approve their own deployment");
      if (problems.length > 0)
        report(
          formatFinding({
            what: `GitHub environment production (${args.name}) ${problems.join(" and ")}`,
            where: resourceWhere(args),
            fix: "set reviewers to the release managers' team and preventSelfReview: true",
          }),
        );
    }),
  ],
};

function checkRules(resource: PolicyResource): BranchCheckRule[] {
  const props = resource.props as Props;
  if (resource.type === TYPES.repositoryRuleset) {
    if (known(() => props.target) !== "branch") return [];
    const refName = known(() => (props.conditions as Props | undefined)?.refName as Props | undefined);
    const checks = known(() =>
      records(
        ((props.rules as Props | undefined)?.requiredStatusChecks as Props | undefined)?.requiredChecks,
      ).map((c) => text(c.context) ?? ""),
    );
    return [
      {
        refs: known(() => strings(refName?.includes)) ?? [],
        excludes: known(() => strings(refName?.excludes)) ?? [],
        active: known(() => props.enforcement) === "active",
        checks: checks ?? [],
      },
    ];
  }
  const pattern = known(() => text(props.pattern));
  const contexts = known(() => records(props.requiredStatusChecks).flatMap((c) => strings(c.contexts))) ?? [];
  return pattern ? [{ refs: [pattern], excludes: [], active: true, checks: contexts }] : [];
}

const GITHUB_TYPES: readonly string[] = [
  TYPES.repositoryRuleset,
  TYPES.branchProtection,
  TYPES.repositoryEnvironment,
];

export const productionBranchRequiredChecks: StackValidationPolicy = {
  name: "production-branch-required-checks",
  description: "The production branch requires the G1 status checks before anything merges into it.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const graph = new StackGraph(args.resources);
    for (const project of graph.ofType(TYPES.project)) {
      const facts = readProjectFacts(project.props);
      if (!facts.stages.includes("production")) continue;
      const findings = requiredCheckFindings(facts.project);
      for (const finding of findings) reportProjectFinding(report, facts, finding, project.urn);
      const github = graph.descendants(project).filter((r) => GITHUB_TYPES.includes(r.type));
      if (findings.length > 0 || github.length === 0) continue; // governance lives in another stack
      const branch = productionBranch(facts.project);
      const enforced = requiredChecksOn(branch, github.flatMap(checkRules));
      const missing = facts.project.governance.requiredChecks.filter((c) => !enforced.has(c));
      if (missing.length === 0) continue;
      report(
        formatFinding({
          what: `the production branch ${branch} of ${facts.project.repo} does not require ${missing.join(", ")}`,
          where: `${facts.file} governance.requiredChecks`,
          fix: `add a ruleset (or branch protection) on refs/heads/${branch} requiring ${missing.join(", ")}`,
        }),
        project.urn,
      );
    }
  },
};

export const environmentReviewersWithinLimit: ResourceValidationPolicy = {
  name: "environment-reviewers-within-github-limit",
  description: "Every GitHub environment has at most six required reviewers, the most GitHub accepts.",
  enforcementLevel: "mandatory",
  validateResource: forProject((facts) =>
    facts.stages.includes("production") ? reviewerLimitFindings(facts.project, facts.file) : [],
  ),
};

export const personasSeparated: ResourceValidationPolicy = {
  name: "personas-separated",
  description:
    "Nobody is both qa_tester and release_manager of a project (by user, shared team, or the other persona's team).",
  enforcementLevel: "mandatory",
  validateResource: forProject((facts) =>
    facts.stages.includes("production") ? separationOfDutiesFindings(facts.project) : [],
  ),
};

export const accessPolicies = [
  personasSeparated,
  sshNotOpenToWorld,
  productionEnvironmentReviewers,
  environmentReviewersWithinLimit,
  productionBranchRequiredChecks,
];
