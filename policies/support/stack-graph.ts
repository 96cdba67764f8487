import type { PolicyResource } from "@pulumi/policy";
import { type EnvironmentFacts, readEnvironmentFacts } from "../../model/rules/facts.ts";
import type { Stage } from "../../model/stages.ts";
import { known, type Props, strings, TYPES } from "./resources.ts";

/**
 * A stack as stack policies see it, indexed once: which environment and project each resource belongs
 * to (from the component tree), its stage, and what it waits for. Component dependencies stand for
 * their children, as Pulumi orders them.
 */
export class StackGraph {
  private readonly children = new Map<string, PolicyResource[]>();
  private readonly byUrn = new Map<string, PolicyResource>();
  private readonly byType = new Map<string, PolicyResource[]>();
  // Built on first use: every project-level firewall asks which droplets carry its tags, which was a
  // scan of every droplet per firewall (quadratic in projects).
  private dropletsByTag: Map<string, PolicyResource[]> | undefined;
  private readonly stages = new Map<PolicyResource, Stage[]>();
  private readonly position = new Map<PolicyResource, number>();

  constructor(readonly resources: readonly PolicyResource[]) {
    const push = <K>(map: Map<K, PolicyResource[]>, key: K, r: PolicyResource) => {
      const list = map.get(key);
      if (list) list.push(r);
      else map.set(key, [r]);
    };
    for (const [i, r] of resources.entries()) {
      this.position.set(r, i);
      this.byUrn.set(r.urn, r);
      push(this.byType, r.type, r);
      if (r.parent) push(this.children, r.parent.urn, r);
    }
  }

  ofType(type: string): PolicyResource[] {
    return [...(this.byType.get(type) ?? [])];
  }

  private order(r: PolicyResource): number {
    return this.position.get(r) ?? Number.MAX_SAFE_INTEGER;
  }

  private dropletsTagged(tag: string): readonly PolicyResource[] {
    if (!this.dropletsByTag) {
      this.dropletsByTag = new Map();
      for (const d of this.byType.get(TYPES.droplet) ?? [])
        for (const t of new Set(tagsOf(d))) {
          const list = this.dropletsByTag.get(t);
          if (list) list.push(d);
          else this.dropletsByTag.set(t, [d]);
        }
    }
    return this.dropletsByTag.get(tag) ?? [];
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
    let stages = this.stages.get(resource);
    if (!stages) {
      stages = this.computeStagesOf(resource);
      this.stages.set(resource, stages);
    }
    return [...stages];
  }

  private computeStagesOf(resource: PolicyResource): Stage[] {
    const env = this.environmentOf(resource);
    if (env) return [this.facts(env).stage];
    const own = stageTags(tagsOf(resource));
    if (own.length > 0) return own;
    let guarded: PolicyResource[] = [];
    if (resource.type === TYPES.firewall) {
      const tagged = new Set(tagsOf(resource).flatMap((t) => this.dropletsTagged(t)));
      const depended = resource.dependencies.filter((d) => d.type === TYPES.droplet && this.position.has(d));
      // In registration order, as a scan of the droplets would list them.
      guarded = [...new Set([...tagged, ...depended])].sort((a, b) => this.order(a) - this.order(b));
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
