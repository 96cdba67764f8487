import type { PolicyResource } from "@pulumi/policy";
import { type EnvironmentFacts, readEnvironmentFacts } from "../model/rules/facts.ts";
import type { Stage } from "../model/stages.ts";
import { known, type Props, strings, TYPES } from "./resources.ts";

/**
 * A stack as stack policies see it, indexed once: which environment and project each resource belongs
 * to (from the component tree), its stage, and what it waits for. Component dependencies stand for
 * their children, as Pulumi orders them.
 */
export class StackGraph {
  private readonly children = new Map<string, PolicyResource[]>();
  private readonly byUrn = new Map<string, PolicyResource>();

  constructor(readonly resources: readonly PolicyResource[]) {
    for (const r of resources) {
      this.byUrn.set(r.urn, r);
      if (r.parent) this.children.set(r.parent.urn, [...(this.children.get(r.parent.urn) ?? []), r]);
    }
  }

  ofType(type: string): PolicyResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The nearest ancestor (or the resource itself) of a type. */
  ancestor(resource: PolicyResource, type: string): PolicyResource | undefined {
    for (let r: PolicyResource | undefined = resource; r; r = r.parent) if (r.type === type) return r;
    return undefined;
  }

  environmentOf(resource: PolicyResource): PolicyResource | undefined {
    return this.ancestor(resource, TYPES.environment);
  }

  projectOf(resource: PolicyResource): PolicyResource | undefined {
    return this.ancestor(resource, TYPES.project);
  }

  facts(environment: PolicyResource): EnvironmentFacts {
    return readEnvironmentFacts(environment.props);
  }

  descendants(resource: PolicyResource): PolicyResource[] {
    const out: PolicyResource[] = [];
    const visit = (r: PolicyResource) => {
      for (const child of this.children.get(r.urn) ?? []) {
        out.push(child);
        visit(child);
      }
    };
    visit(resource);
    return out;
  }

  /** Everything `resource` waits for before it is created: dependencies, transitively. */
  prerequisites(resource: PolicyResource): Set<PolicyResource> {
    const seen = new Set<PolicyResource>();
    const reach = (r: PolicyResource): void => {
      if (seen.has(r)) return;
      seen.add(r);
      for (const dep of r.dependencies) reach(dep);
      for (const child of this.children.get(r.urn) ?? []) reach(child);
    };
    for (const dep of resource.dependencies) reach(dep);
    return seen;
  }

  /**
   * The stages a resource serves: its environment's, else its own `odooops:stage:` tag, else those of
   * what it guards — the droplets a firewall applies to (by tag or id), the cluster a database
   * firewall belongs to.
   */
  stagesOf(resource: PolicyResource): Stage[] {
    const env = this.environmentOf(resource);
    if (env) return [this.facts(env).stage];
    const own = stageTags(tagsOf(resource));
    if (own.length > 0) return own;
    let guarded: PolicyResource[] = [];
    if (resource.type === TYPES.firewall) {
      const targets = new Set(tagsOf(resource));
      guarded = this.ofType(TYPES.droplet).filter(
        (d) => tagsOf(d).some((t) => targets.has(t)) || resource.dependencies.includes(d),
      );
    } else if (resource.type === TYPES.databaseFirewall) {
      guarded = resource.dependencies.filter((d) => d.type === TYPES.databaseCluster);
    }
    return [...new Set(guarded.flatMap((d) => this.stagesOf(d)))];
  }
}

export function tagsOf(resource: { props: Props }): string[] {
  return known(() => strings(resource.props.tags)) ?? [];
}

function stageTags(tags: readonly string[]): Stage[] {
  return tags
    .filter((t) => t.startsWith("odooops:stage:"))
    .map((t) => t.slice("odooops:stage:".length))
    .filter((s): s is Stage => s === "production" || s === "staging" || s === "development");
}
