import { DEPLOY_KEY_PLACEHOLDER, Platform } from "../../../components/platform.ts";
import { placeholderRegistryAuth } from "../../../model/governance/registry-auth.ts";
import { stackCost } from "../../../model/plan/cost.ts";
import { captureProgram } from "./capture.ts";
import { evaluatePolicies, gatesConfig } from "./evaluate.ts";
import { inReportOrder, reportOrderOf } from "./merge-facts.ts";
import { stagingStackOutputs } from "./mock-outputs.ts";
import type { PlanOptions, StackPlan } from "./plan.ts";
import { type StackReport, toPlannedResources } from "./report.ts";

/** Every stack's program in this process, one stack at a time. */
export async function stacksInProcess(
  plans: readonly StackPlan[],
  options: Pick<PlanOptions, "now" | "progress">,
): Promise<StackReport[]> {
  const stacks: StackReport[] = [];
  const total = plans.reduce((n, p) => n + p.plan.projects.length, 0);
  let done = 0;
  for (const { stack, settings, registry, plan, gates } of plans) {
    // The staging stack reads production's identity from the prod stack: answer what prod would export.
    const prodOutputs = stagingStackOutputs(plan);
    // Pull credentials show as wired, their tokens (stack secrets) as placeholders.
    const access = { deployKey: DEPLOY_KEY_PLACEHOLDER, registryAuth: placeholderRegistryAuth(registry) };
    const captured = await captureProgram("odooops", stack, () => new Platform("odooops", plan, access), {
      stackOutputs: prodOutputs,
    });
    done += plan.projects.length;
    options.progress?.(done, total);
    const ordered = inReportOrder(
      toPlannedResources(stack, captured),
      await evaluatePolicies(stack, captured, { now: options.now, config: gatesConfig(gates) }),
      reportOrderOf(plan),
    );
    stacks.push({ stack, stages: settings.stages, costs: stackCost(plan), ...ordered });
  }
  return stacks;
}
