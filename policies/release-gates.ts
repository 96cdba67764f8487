import type { ResourceValidationPolicy } from "@pulumi/policy";
import { readEnvironmentFacts } from "../model/rules/facts.ts";
import { GATES_NOT_EVALUATED, releaseGateProblem } from "../model/rules/release.ts";
import { GATES_SCHEMA, gatesEvaluated, nowOf } from "./config.ts";
import { formatFinding } from "./finding.ts";
import { forType, TYPES } from "./resources.ts";

/**
 * Seed 001 FR-3/FR-6: the release deployed to production passed G1–G3, or an active, approved, unexpired
 * exception covers each gate that did not. Gate status comes from the build catalog / control plane,
 * carried on the production environment plan.
 */
export const releaseGatesPassed: ResourceValidationPolicy = {
  name: "release-gates-passed",
  description:
    "The release deployed to production passed G1–G3, or an active approved exception covers each missing gate.",
  enforcementLevel: "mandatory",
  configSchema: GATES_SCHEMA,
  validateResource: forType(TYPES.environment, (props, args, report) => {
    const env = readEnvironmentFacts(props);
    if (env.stage !== "production") return;
    const problem = gatesEvaluated(args)
      ? releaseGateProblem(env.image, env.release ?? undefined, nowOf(args))
      : GATES_NOT_EVALUATED;
    if (!problem) return;
    const at = env.sources.image;
    report(formatFinding({ ...problem, where: at ? `${at} environments.production.image` : undefined }));
  }),
};

export const releaseGatePolicies = [releaseGatesPassed];
