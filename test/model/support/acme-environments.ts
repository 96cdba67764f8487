import { catalogSchema } from "../../../model/input/catalog.ts";
import { parseProject } from "../../../model/input/loader.ts";
import type { StackSettings } from "../../../model/input/stack-settings.ts";
import { type EnvironmentPlan, planPlatform } from "../../../model/plan/environment-plan.ts";
import { DIGEST, minimalYaml } from "../../support/projects.ts";

/** The two stacks as remote-access tests see them, on odooops.example. */
const domain = "odooops.example";
export const STAGING_STACK: StackSettings = {
  stages: ["staging", "development"],
  platformDomain: domain,
  region: "sgp1",
};
export const PROD_STACK: StackSettings = { stages: ["production"], platformDomain: domain, region: "sgp1" };

/** How the deployer reaches a host (model/plan/host-layout.ts), as the first words of every remote command. */
export const SSH = ["ssh", "-o", "StrictHostKeyChecking=accept-new", "-o", "ServerAliveInterval=30"];

/** The planned environment of `stage` for project acme (a staging build b-42, a preview b-7). */
export function acmeEnvironment(
  settings: StackSettings,
  stage: string,
  yaml = minimalYaml("acme"),
): EnvironmentPlan {
  const { loaded } = parseProject("projects/acme.yaml", yaml);
  const build = (id: string) => ({
    id,
    image: `ghcr.io/acme/acme@${DIGEST}`,
    commit: "abcdef1",
    builtAt: "2026-11-20T00:00:00Z",
  });
  const catalog = catalogSchema.parse({
    projects: {
      acme: {
        branches: [
          { name: "release/v2", build: build("b-42") },
          { name: "feature/ocr", build: build("b-7") },
        ],
      },
    },
  });
  const environments = planPlatform([loaded!], catalog, settings).projects[0]!.environments;
  return environments.find((e) => e.stage === stage)!;
}
