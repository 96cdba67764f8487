import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { projectCost } from "../model/plan/cost.ts";
import type { EnvironmentPlan, HostPlan, ProjectPlan } from "../model/plan/environment-plan.ts";
import { REGIONS } from "../model/prices.ts";
import {
  budgetFindings,
  DEFAULT_SIZE_LIMITS,
  oversizedFindings,
  productionMonthlyUsd,
} from "../model/rules/cost.ts";
import { type ProjectFacts, readEnvironmentFacts } from "../model/rules/facts.ts";
import { formatFinding } from "../model/rules/finding.ts";
import { NOW_SCHEMA, nowOf, numberOf } from "./support/config.ts";
import { forProject, forType, TYPES } from "./support/resources.ts";

/** Advisory: money and housekeeping warn, they never block a deploy. */

const REGION = z.enum(REGIONS);

/**
 * The Project component's inputs are the project's plan slice (components/project.ts), so the cost
 * model reads them as a ProjectPlan; a stack sees only the environments it owns.
 */
function planOf(facts: ProjectFacts): ProjectPlan {
  return {
    project: facts.project,
    file: facts.file,
    region: typeof facts.region === "string" ? facts.region : "",
    environments: facts.environments as unknown as EnvironmentPlan[],
    sharedDevHost: (facts.sharedDevHost ?? undefined) as HostPlan | undefined,
    sources: facts.sources,
    where: () => facts.file,
  };
}

export const projectMonthlyCostWithinBudget: ResourceValidationPolicy = {
  name: "project-monthly-cost-within-budget",
  description: "A project's estimated monthly cost stays within its budget.monthlyUsd.",
  enforcementLevel: "advisory",
  validateResource: forProject((facts) => {
    if (!facts.project.budget) return [];
    const ownsProduction = facts.stages.includes("production");
    const stackUsd = projectCost(planOf(facts), facts.stages).monthlyUsd;
    const region = REGION.safeParse(facts.region);
    const domain = typeof facts.platformDomain === "string" ? facts.platformDomain : "";
    // Non-production cost depends on live branches only the staging stack sees; production's is in the file.
    const elsewhere =
      ownsProduction || !region.success
        ? undefined
        : {
            what: "production (estimated from the project file)",
            usd: productionMonthlyUsd(facts.project, facts.file, domain, region.data),
          };
    return budgetFindings(facts.project, {
      stack: ownsProduction ? "production" : facts.stages.join("+"),
      stackUsd,
      elsewhere,
    });
  }),
};

export const nonProductionSizeLimit: ResourceValidationPolicy = {
  name: "non-production-size-limit",
  description: "Non-production hosts and databases stay small; validation does not need production sizes.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      maxHostMonthlyUsd: { type: "number", default: DEFAULT_SIZE_LIMITS.maxHostMonthlyUsd },
      maxDatabaseNodeMonthlyUsd: { type: "number", default: DEFAULT_SIZE_LIMITS.maxDatabaseNodeMonthlyUsd },
    },
  },
  validateResource: forProject((facts, args) =>
    oversizedFindings(facts.project, facts.stages, {
      maxHostMonthlyUsd: numberOf(args, "maxHostMonthlyUsd", DEFAULT_SIZE_LIMITS.maxHostMonthlyUsd),
      maxDatabaseNodeMonthlyUsd: numberOf(
        args,
        "maxDatabaseNodeMonthlyUsd",
        DEFAULT_SIZE_LIMITS.maxDatabaseNodeMonthlyUsd,
      ),
    }),
  ),
};

export const devPreviewsPastTtl: ResourceValidationPolicy = {
  name: "dev-previews-past-ttl",
  description:
    "Development previews older than their TTL are still running; the reaper should have removed them.",
  enforcementLevel: "advisory",
  configSchema: NOW_SCHEMA,
  validateResource: forType(TYPES.environment, (props, args, report) => {
    const env = readEnvironmentFacts(props);
    if (env.stage !== "development" || env.kept || !env.expiresAt) return;
    const now = nowOf(args);
    if (new Date(env.expiresAt).getTime() > now.getTime()) return;
    report(
      formatFinding({
        what: `preview ${env.slug} of branch ${env.branch} expired at ${env.expiresAt} (ttl ${env.ttl}) and is still present`,
        where: env.sources.ttl ? `${env.sources.ttl} ttl of the rule matching ${env.branch}` : undefined,
        fix: `delete the branch, let the TTL reaper remove it (odooops reap), or list ${env.branch} under keep`,
      }),
    );
  }),
};

export const costPolicies = [projectMonthlyCostWithinBudget, nonProductionSizeLimit, devPreviewsPastTtl];
