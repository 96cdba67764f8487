import { DATABASE_NODE_MONTHLY_USD, DROPLET_MONTHLY_USD } from "../prices.ts";
import type { Project } from "../schema/project.ts";
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

/** `monthlyUsd` is the estimate of what this stack runs for the project; a stack sees only its own share. */
export function budgetFindings(project: Project, monthlyUsd: number, stack: string): RuleFinding[] {
  const budget = project.budget?.monthlyUsd;
  if (budget === undefined || monthlyUsd <= budget) return [];
  return [
    {
      field: "budget.monthlyUsd",
      what: `${project.name} is estimated at $${monthlyUsd.toFixed(2)}/month in the ${stack} stack alone, over its budget of $${budget}`,
      fix: "shrink sizes, share the dev host, shorten preview TTLs, or raise budget.monthlyUsd",
    },
  ];
}
