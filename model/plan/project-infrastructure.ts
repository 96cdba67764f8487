import type { Project } from "../input/schema/project.ts";
import { type StackSettings, stackRole } from "../input/stack-settings.ts";
import type { DatabaseSize } from "../prices.ts";
import { STAGES, type Stage } from "../stages.ts";
import type { EnvironmentPlan } from "./environment-plan.ts";
import { type FirewallInput, type FirewallPlan, firewallPlan } from "./firewall-rules.ts";
import { clusterName } from "./production-identity.ts";

/**
 * What a project's own infrastructure is, beside its environments: one host firewall per stage it runs
 * in, and the database clusters its non-production environments share. Decided here, from the project
 * file, its environment plans and the stack settings, so components/project.ts only creates it.
 */
export interface ProjectInfrastructure {
  role: "production" | "staging";
  /** The stages this stack runs environments of, in STAGES order. */
  stages: Stage[];
  firewalls: StageFirewall[];
  sharedClusters: SharedCluster[];
}

export interface StageFirewall extends FirewallInput {
  stage: Stage;
  sshSources: string[];
  deploySources: string[];
  rules: FirewallPlan;
}

/** A cluster several environments' databases live in: staging dumps in one, development previews in another. */
export interface SharedCluster {
  stage: "staging" | "development";
  /** Part of the resource and cluster names: `<project>-<key>-postgres`. */
  key: "staging" | "dev";
  clusterName: string;
  size: DatabaseSize;
  /** Slugs of the environments whose databases it holds: their hosts, and only those, reach it. */
  slugs: string[];
}

export function projectInfrastructure(
  project: Project,
  environments: readonly EnvironmentPlan[],
  settings: Pick<StackSettings, "stages" | "deploySources">,
): ProjectInfrastructure {
  const stages = STAGES.filter((stage) => environments.some((e) => e.stage === stage));
  const firewalls = stages.map((stage) => {
    const input = {
      sshSources: [...project.environments[stage].sshSources],
      deploySources: [...(settings.deploySources ?? [])],
      // Production sends real mail: its SMTP egress is never blocked, whatever the file says.
      smtpEgress: stage === "production" ? ("allowed" as const) : project.environments[stage].smtpEgress,
    };
    return { stage, ...input, rules: firewallPlan(input) };
  });
  const sharedClusters: SharedCluster[] = [];
  // A clone by dump restores into a cluster of its own stage; the first such environment sizes it.
  const dumps = environments.filter((e) => e.database.kind === "clone" && e.database.strategy === "dump");
  if (dumps[0]) sharedClusters.push(shared(project.name, "staging", "staging", dumps[0], dumps));
  const previews = environments.filter((e) => e.stage === "development");
  if (previews[0]) sharedClusters.push(shared(project.name, "development", "dev", previews[0], previews));
  return { role: stackRole(settings.stages), stages, firewalls, sharedClusters };
}

/** The first environment using the cluster sizes it. */
function shared(
  project: string,
  stage: SharedCluster["stage"],
  key: SharedCluster["key"],
  first: EnvironmentPlan,
  using: readonly EnvironmentPlan[],
): SharedCluster {
  const slugs = using.map((e) => e.slug);
  return { stage, key, clusterName: clusterName(project, key), size: first.database.size, slugs };
}
