import type { Stage } from "../stages.ts";
import type { PlatformPlan } from "./environment-plan.ts";

/**
 * What the deploy workflow needs after `pulumi up` to record each deployment and check its health: per
 * environment, the image it now runs and its URL (exported by index.ts as the `deployed` stack output).
 */
export interface DeployedEnvironment {
  project: string;
  branch: string;
  stage: Stage;
  image: string;
  url: string;
}

/** An environment's address: its first host name (production's platform name before custom domains). */
export function environmentUrl(hostnames: readonly string[]): string {
  return `https://${hostnames[0]}`;
}

export function deployedEnvironments(plan: PlatformPlan): DeployedEnvironment[] {
  return plan.projects.flatMap((p) =>
    p.environments.map((e) => ({
      project: e.project,
      branch: e.branch,
      stage: e.stage,
      image: e.image,
      url: environmentUrl(e.hostnames),
    })),
  );
}

/**
 * `pulumi up` never deploys production from a catalog file: the file's release gates are whatever it
 * says (examples hard-code a passed release), only the control plane's are signed. Previews (dry runs,
 * the offline plan) may read a file.
 */
export function productionDeployProblem(
  stages: readonly Stage[],
  catalogFromControlPlane: boolean,
  dryRun: boolean,
): string | undefined {
  if (dryRun || catalogFromControlPlane || !stages.includes("production")) return undefined;
  return "refusing to deploy production without a control plane: release gates come only from it; set ODOOOPS_CONTROL_PLANE_URL or SUPABASE_URL with a key";
}
