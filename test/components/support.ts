import type * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, captureProgram } from "../../cli/commands/plan/capture.ts";
import { stagingStackOutputs } from "../../cli/commands/plan/mock-outputs.ts";
import { Platform } from "../../components/platform.ts";
import { type Catalog, catalogSchema } from "../../model/input/catalog.ts";
import { parseProject } from "../../model/input/loader.ts";
import type { StackSettings } from "../../model/input/stack-settings.ts";
import { type PlatformPlan, planPlatform } from "../../model/plan/environment-plan.ts";

/** Test helpers: plan a project file for one stack and run the real program on the mock runtime. */
export const DIGEST = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
export const PROD_STACK = "acme/odooops/prod";

export const STACKS: Record<"staging" | "prod", StackSettings> = {
  staging: {
    stages: ["staging", "development"],
    platformDomain: "odooops.example",
    region: "sgp1",
    prodStack: PROD_STACK,
    deploySources: ["198.51.100.10/32"],
    sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB9OsGXAMa8AXSSwfIGLsZNDYpzGcydfhkNHZyjUznvV test",
  },
  prod: {
    stages: ["production"],
    platformDomain: "odooops.example",
    region: "sgp1",
    deploySources: ["198.51.100.10/32"],
    sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFmNN7u4IHFcml35Ua2SmjIVT+TE9uT28qyZ7V8G8wkf test",
  },
};

/** A project file with production only; `extra` adds top-level YAML (environments are merged by hand). */
export function projectYaml(name: string, environments = "", extra = ""): string {
  return `name: ${name}
repo: acme/${name}
environments:
  production:
    image: ghcr.io/acme/${name}@${DIGEST(1)}
${environments}${extra}`;
}

export function catalog(project: string, branches: [name: string, buildId: string][]): Catalog {
  return catalogSchema.parse({
    projects: {
      [project]: {
        branches: branches.map(([name, id], i) => ({
          name,
          build: {
            id,
            image: `ghcr.io/acme/${project}@${DIGEST(100 + i)}`,
            commit: "abcdef1",
            builtAt: "2026-11-20T00:00:00Z",
          },
        })),
        releases: [{ id: "r-1", image: `ghcr.io/acme/${project}@${DIGEST(1)}`, passed: ["G1", "G2", "G3"] }],
      },
    },
  });
}

export function plan(yaml: string, live: Catalog, stack: "staging" | "prod"): PlatformPlan {
  const name = /^name: (\S+)/m.exec(yaml)![1]!;
  const { loaded, problems } = parseProject(`projects/${name}.yaml`, yaml);
  if (!loaded) throw new Error(JSON.stringify(problems));
  return planPlatform([loaded], live, STACKS[stack]);
}

export class Graph {
  readonly byUrn: Map<string, CapturedResource>;
  constructor(readonly resources: CapturedResource[]) {
    this.byUrn = new Map(resources.map((r) => [r.urn, r]));
  }
  ofType(type: string): CapturedResource[] {
    return this.resources.filter((r) => r.type === type);
  }
  named(name: string): CapturedResource {
    const found = this.resources.find((r) => r.name === name);
    if (!found)
      throw new Error(`no resource named ${name}; have ${this.resources.map((r) => r.name).join(", ")}`);
    return found;
  }
  /** The chain of components above a resource, nearest first. */
  ancestors(resource: CapturedResource): CapturedResource[] {
    const out: CapturedResource[] = [];
    for (let p = resource.parent; p; p = this.byUrn.get(p)?.parent) out.push(this.byUrn.get(p)!);
    return out;
  }
  /** Everything `resource` waits for, through dependencies and its dependencies' parents. */
  prerequisites(resource: CapturedResource): Set<string> {
    const seen = new Set<string>();
    const visit = (urn: string) => {
      if (seen.has(urn)) return;
      seen.add(urn);
      for (const dep of this.byUrn.get(urn)?.options.dependencies ?? []) visit(dep);
    };
    for (const dep of resource.options.dependencies) visit(dep);
    return seen;
  }
  /** The environment component a resource belongs to, if any. */
  environmentOf(resource: CapturedResource): string | undefined {
    return this.ancestors(resource).find((a) => a.type === "odooops:environment:Environment")?.name;
  }
}

export interface RunOptions {
  /** What each prod stack answers to the staging stack's StackReference; default: the derived names. */
  stackOutputs?: Record<string, Record<string, unknown>>;
}

/** Runs the real program for a plan; also reports which resources were constructed after it returned. */
export async function run(
  p: PlatformPlan,
  options: RunOptions = {},
): Promise<Graph & { lateNames: string[] }> {
  const constructed: string[] = [];
  let synchronous = new Set<string>();
  const resources = await captureProgram(
    "odooops",
    p.settings.stages.includes("production") ? "prod" : "staging",
    () => {
      // Transformations run in each resource's constructor and pass to children: a resource built
      // inside an apply shows up only after the program has returned.
      const record: pulumi.ResourceTransformation = (args) => {
        constructed.push(args.name);
        return undefined;
      };
      new Platform("odooops", p, undefined, { transformations: [record] });
      synchronous = new Set(constructed);
    },
    { stackOutputs: options.stackOutputs ?? stagingStackOutputs(p) },
  );
  const graph = new Graph(resources) as Graph & { lateNames: string[] };
  graph.lateNames = constructed.filter((n) => !synchronous.has(n));
  return graph;
}

/** A resource's input at a path such as `uploads[0].content`. */
export function input(resource: CapturedResource, path: string): unknown {
  let node: unknown = resource.inputs;
  for (const part of path.match(/[^.[\]]+/g) ?? [])
    node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}
