import type { PlatformPlan } from "./environment-plan.ts";

/**
 * Problems of a stack's plan that only show once the projects are planned together with the stack's
 * settings; reported before anything runs.
 */
export function stackProblems(plan: PlatformPlan): string[] {
  const problems: string[] = [];
  const staging = plan.projects.filter((p) => p.environments.some((e) => e.stage === "staging"));
  if (staging.length > 0 && !plan.settings.prodStack)
    problems.push(
      `stack config odooops:prodStack is missing: staging builds of ${staging.map((p) => p.project.name).join(", ")} copy production, whose identifiers come from the prod stack; set it to <org>/<project>/prod`,
    );
  return problems;
}
