import type { Project } from "../input/schema/project.ts";
import { projectCost } from "../plan/cost.ts";
import { planPlatform } from "../plan/environment-plan.ts";
import { DATABASE_NODE_MONTHLY_USD, DROPLET_MONTHLY_USD, type Region } from "../prices.ts";
import type { Stage } from "../stages.ts";
import { nonProductionStages } from "./environment-safety.ts";
import type { RuleFinding } from "./finding.ts";

/** Advisory cost rules: money is not a safety matter, so these warn and never block. */

export interface SizeLimits {
  /** Most a non-production host may cost per month (USD, list price). */
  maxHostMonthlyUsd: number;
  /** Most one node of a non-production database may cost per month (USD, list price). */
  maxDatabaseNodeMonthlyUsd: number;
}

/** s-4vcpu-8gb hosts and db-s-2vcpu-4gb nodes are plenty for validating a build. */
export const DEFAULT_SIZE_LIMITS: SizeLimits = { maxHostMonthlyUsd: 48, maxDatabaseNodeMonthlyUsd: 60 };

export function oversizedFindings(
  project: Project,
  stages: readonly Stage[],
  limits: SizeLimits,
): RuleFinding[] {
  return nonProductionStages(stages).flatMap((stage) => {
    const env = project.environments[stage];
    const findings: RuleFinding[] = [];
    const host = DROPLET_MONTHLY_USD[env.size];
    if (host > limits.maxHostMonthlyUsd)
      findings.push({
        field: `environments.${stage}.size`,
        what: `${stage} hosts are ${env.size} ($${host}/month each), above the $${limits.maxHostMonthlyUsd} a non-production host should cost`,
        fix: `choose a smaller size for environments.${stage}.size, or raise maxHostMonthlyUsd in the policy config`,
      });
    const node = DATABASE_NODE_MONTHLY_USD[env.database.size];
    if (node > limits.maxDatabaseNodeMonthlyUsd)
      findings.push({
        field: `environments.${stage}.database.size`,
        what: `${stage} databases are ${env.database.size} ($${node}/month per node), above the $${limits.maxDatabaseNodeMonthlyUsd} a non-production database should cost`,
        fix: `choose a smaller size for environments.${stage}.database.size, or raise maxDatabaseNodeMonthlyUsd in the policy config`,
      });
    return findings;
  });
}

/**
 * What production costs per month, from the project file alone: production's plan needs no build
 * catalog (its image is the YAML's), so a stack that does not own production can still estimate it.
 */
export function productionMonthlyUsd(
  project: Project,
  file: string,
  platformDomain: string,
  region: Region,
): number {
  const loaded = { file, project, locate: () => ({ line: 1, col: 1 }), where: () => file };
  const settings = { stages: ["production" as const], platformDomain, region };
  const plan = planPlatform([loaded], { projects: {} }, settings).projects[0];
  return plan ? projectCost(plan, ["production"]).monthlyUsd : 0;
}

/** A stack's share of a project's monthly cost, and what the stages other stacks run are known to cost. */
export interface BudgetShares {
  stack: string;
  stackUsd: number;
  /** Estimates for stages this stack does not own, when they can be known from the file (production). */
  elsewhere?: { what: string; usd: number } | undefined;
}

/**
 * The budget is the project's, not a stack's: a project under budget in each stack can be over it in
 * total. The staging stack knows production's cost from the file, so it checks the sum.
 */
export function budgetFindings(project: Project, shares: BudgetShares): RuleFinding[] {
  const budget = project.budget?.monthlyUsd;
  if (budget === undefined) return [];
  const { stack, stackUsd, elsewhere } = shares;
  const fix = "shrink sizes, share the dev host, shorten preview TTLs, or raise budget.monthlyUsd";
  if (stackUsd > budget)
    return [
      {
        field: "budget.monthlyUsd",
        what: `${project.name} is estimated at $${stackUsd.toFixed(2)}/month in the ${stack} stack alone, over its budget of $${budget}`,
        fix,
      },
    ];
  const total = stackUsd + (elsewhere?.usd ?? 0);
  if (!elsewhere || total <= budget) return [];
  return [
    {
      field: "budget.monthlyUsd",
      what: `${project.name} is estimated at $${total.toFixed(2)}/month in total ($${stackUsd.toFixed(2)} in the ${stack} stack + $${elsewhere.usd.toFixed(2)} for ${elsewhere.what}), over its budget of $${budget} although each stack alone is within it`,
      fix,
    },
  ];
}
