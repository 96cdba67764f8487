import type { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { CapturedResource } from "../../cli/commands/plan/capture.ts";
import { evaluatePolicies } from "../../cli/commands/plan/evaluate.ts";
import type { Violation } from "../../cli/commands/plan/report.ts";
import type { Catalog } from "../../model/input/catalog.ts";
import { parseProject } from "../../model/input/loader.ts";
import { planPlatform } from "../../model/plan/environment-plan.ts";
import type { Stage } from "../../model/stages.ts";
import { STAGES } from "../../model/stages.ts";

/**
 * Policy tests in the style of AWSGuard's: a compliant resource from a factory, one mutation per way to
 * get it wrong. Resources are built as the offline plan captures them and checked through the same
 * evaluator the plan uses, so a test reads "this resource, with this change, violates that policy".
 */
export const DIGEST = `sha256:${"ab".repeat(32)}`;
export const NOW = new Date("2026-11-23T12:00:00Z");
export const PROJECT_FILE = "projects/shop.yaml";

/** A project that gets every safety setting right, spelled out so that mutations are one-line edits. */
export const SAFE_PROJECT = `name: shop
repo: acme/shop
branches:
  - { match: main, stage: production }
  - { match: "release/*", stage: staging, ttl: 14d }
  - { match: "feature/*", stage: development, ttl: 7d }
  - { match: demo, stage: development, ttl: never }
keep: [demo]
environments:
  production:
    image: ghcr.io/acme/shop@${DIGEST}
    sshSources: [203.0.113.0/28]
  staging:
    clone: { strategy: dump, mask: default, neutralize: true }
    mailCatcher: true
    smtpEgress: blocked
    sshSources: [203.0.113.0/28]
  development:
    mailCatcher: true
    smtpEgress: blocked
retention: { daily: 7, weekly: 4, monthly: 3 }
personas:
  release_manager: { users: [rm-ben] }
governance:
  requiredChecks: [odooops/build, odooops/module-tests]
  production: { preventSelfReview: true }
odooOptions:
  limit_time_real: 600
budget: { monthlyUsd: 5000 }
`;

/** `text` with `from` replaced; fails loudly when `from` is absent, so a mutation never silently no-ops. */
export function mutate(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`mutation target not found: ${from}`);
  return text.replace(from, to);
}

export function lineOf(text: string, fragment: string): number {
  const index = text.indexOf(fragment);
  if (index < 0) throw new Error(`not in text: ${fragment}`);
  return text.slice(0, index).split("\n").length;
}

const build = (id: string, builtAt: string) => ({
  id,
  image: `ghcr.io/acme/shop@${DIGEST}`,
  commit: "abc1234",
  builtAt,
  checks: {},
});

/** Live release and feature branches, and a release of the production image that passed G1–G3. */
export function catalogFor(
  name = "shop",
  release: Partial<Catalog["projects"][string]["releases"][number]> = {},
): Catalog {
  return {
    projects: {
      [name]: {
        branches: [
          { name: "release/1.0", build: build("b-1", "2026-11-22T10:00:00Z") },
          { name: "feature/login", build: build("b-2", "2026-11-22T11:00:00Z") },
        ],
        releases: [
          {
            id: "r-1",
            image: `ghcr.io/acme/shop@${DIGEST}`,
            passed: ["G1", "G2", "G3"],
            exceptions: [],
            ...release,
          },
        ],
      },
    },
  };
}

function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::odooops::${type}::${name}`;
}

export interface ResourceOptions {
  parent?: CapturedResource | undefined;
  protect?: boolean;
  deleteBeforeReplace?: boolean;
  dependsOn?: readonly CapturedResource[];
}

/** A resource as the capture records it; inputs go through JSON like the wire format (undefined dropped). */
export function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  options: ResourceOptions = {},
): CapturedResource {
  return {
    urn: urnOf(type, name),
    type,
    name,
    custom: !type.startsWith("odooops:"),
    parent: options.parent?.urn,
    inputs: JSON.parse(JSON.stringify(inputs)),
    secretPaths: [],
    options: {
      protect: options.protect ?? false,
      deleteBeforeReplace: options.deleteBeforeReplace ?? false,
      retainOnDelete: false,
      ignoreChanges: [],
      replaceOnChanges: [],
      additionalSecretOutputs: [],
      dependencies: (options.dependsOn ?? []).map((r) => r.urn),
      provider: undefined,
    },
  };
}

/**
 * The Project component and its Environment components, planned from YAML by the real loader and
 * planner for a stack owning `stages`.
 */
export function projectResources(
  yaml: string,
  stages: readonly Stage[] = STAGES,
  catalog: Catalog = catalogFor(),
): CapturedResource[] {
  const parsed = parseProject(PROJECT_FILE, yaml);
  if (!parsed.loaded) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  const settings = { stages: [...stages], platformDomain: "odooops.example", region: "sgp1" as const };
  const plan = planPlatform([parsed.loaded], catalog, settings).projects[0]!;
  const project = resource("odooops:project:Project", plan.project.name, {
    project: plan.project,
    file: plan.file,
    region: plan.region,
    platformDomain: settings.platformDomain,
    environments: plan.environments,
    sharedDevHost: plan.sharedDevHost,
    stages,
    sources: plan.sources,
  });
  const environments = plan.environments.map((env) =>
    resource(
      "odooops:environment:Environment",
      `${plan.project.name}-${env.slug}`,
      { plan: env },
      { parent: project },
    ),
  );
  return [project, ...environments];
}

export async function check(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  resources: readonly CapturedResource[],
  config: Record<string, Record<string, unknown>> = {},
): Promise<Violation[]> {
  return evaluatePolicies("test", resources, { policies: [policy] as Policies, now: NOW, config });
}

/** The text a reviewer reads: what, where and how to fix, joined. */
export function explain(violations: readonly Violation[]): string {
  return violations.map((v) => [v.message, v.where, v.fix].join(" | ")).join("\n");
}
