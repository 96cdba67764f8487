import * as digitalocean from "@pulumi/digitalocean";
import type * as keycloak from "@pulumi/keycloak";
import * as pulumi from "@pulumi/pulumi";
import { backupLifecycle } from "../model/data/backup-lifecycle.ts";
import type { RegistryCredential } from "../model/governance/registry-auth.ts";
import type { Project as ProjectSpec } from "../model/input/schema/project.ts";
import type { StackSettings } from "../model/input/stack-settings.ts";
import type { EnvironmentPlan, HostPlan } from "../model/plan/environment-plan.ts";
import { hostName, SHARED_DEV_HOST } from "../model/plan/host-layout.ts";
import { odooOidcProvider } from "../model/plan/identity/odoo-provider.ts";
import { identityPlan, odooClientId } from "../model/plan/identity/realm.ts";
import { PLATFORM_IMAGES } from "../model/plan/platform-images.ts";
import { productionIdentity } from "../model/plan/production-identity.ts";
import { projectInfrastructure } from "../model/plan/project-infrastructure.ts";
import { expiryOf, hostTags, latestExpiry, SHARED_HOST_BRANCH } from "../model/plan/tags.ts";
import type { Stage } from "../model/stages.ts";
import { BackupStorage } from "./backup-storage.ts";
import type { ProjectContext, SharedHost } from "./context.ts";
import { type AgentControlPlane, DataAgent } from "./data-agent.ts";
import { ManagedCluster } from "./database.ts";
import { acmeEmail, Environment } from "./environment.ts";
import { RepositoryGovernance } from "./github-governance.ts";
import { Host } from "./host.ts";
import { TenantIdentity } from "./identity/tenant-identity.ts";
import { ProjectNetwork } from "./network.ts";
import { readProduction } from "./prod-stack.ts";
import { ReverseProxy } from "./proxy.ts";

export interface ProjectArgs {
  project: ProjectSpec;
  /** The project file, so policy messages can point at it. */
  file: string;
  region: string;
  platformDomain: string;
  environments: EnvironmentPlan[];
  sharedDevHost: HostPlan | undefined;
  /** The stages this stack owns, so policies can tell the prod stack from the staging stack. */
  stages: Stage[];
  /** `file:line:col` of the project-level fields a policy may name (ProjectPlan.sources). */
  sources: Record<string, string>;
}

/** What a project takes from its stack: settings, the deploy key, the prod stack's outputs. */
export interface ProjectStack {
  settings: StackSettings;
  deployKey: pulumi.Input<string>;
  sshKeyIds: pulumi.Input<string>[];
  prodStack: pulumi.StackReference | undefined;
  /** Where production's agent records evidence; undefined when the stack configures no control plane. */
  controlPlane?: AgentControlPlane | undefined;
  /** The project's read-only pull credentials (token a secret), when its images are private. */
  registry?: RegistryCredential<pulumi.Input<string>> | undefined;
  /** The warehouse server's admin URL, a secret (placeholder in the offline plan). */
  warehouseUrl: pulumi.Input<string>;
  /** The stack's Keycloak connection, when some project of the stack has `sso`. */
  keycloak?: keycloak.Provider | undefined;
}

/** Everything odooops runs for one Odoo project in this stack. */
export class Project extends pulumi.ComponentResource {
  readonly name: string;
  readonly region: string;
  readonly environments: Environment[];
  readonly network: ProjectNetwork;
  readonly backup: BackupStorage | undefined;

  constructor(name: string, args: ProjectArgs, stack: ProjectStack, opts?: pulumi.ComponentResourceOptions) {
    super("odooops:project:Project", name, args, opts);
    this.name = name;
    this.region = args.region;
    const { project, environments, region } = args;
    const { settings } = stack;
    const plan = projectInfrastructure(project, environments, settings);
    const { role, stages } = plan;
    this.network = new ProjectNetwork(
      `${name}-network`,
      { project: name, region, role, protect: role === "production", firewalls: plan.firewalls },
      { parent: this },
    );
    const child = { parent: this };
    const vpcId = this.network.vpc.id;
    const identity = productionIdentity(name, args.platformDomain, region);
    const production = stages.includes("production");
    this.backup = production
      ? new BackupStorage(
          `${name}-backup`,
          {
            bucket: identity.backupBucket,
            region,
            lifecycle: backupLifecycle(identity.backupPrefix, project.retention),
          },
          child,
        )
      : undefined;
    const clusters = plan.sharedClusters.map(
      (shared) =>
        new ManagedCluster(
          `${name}-${shared.key}-postgres`,
          {
            project: name,
            stage: shared.stage,
            role: shared.stage,
            clusterName: shared.clusterName,
            size: shared.size,
            nodes: 1,
            region,
            maintenance: undefined,
          },
          { vpcId },
          child,
        ),
    );
    const previews = environments.filter((e) => e.stage === "development");

    const access = {
      vpcId,
      sshKeyIds: stack.sshKeyIds,
      deployKey: stack.deployKey,
      registry: stack.registry,
    };
    const sharedHost = args.sharedDevHost
      ? this.sharedDevHost(name, args.sharedDevHost, previews, region, access)
      : undefined;
    const fromProd = readProduction(stack.prodStack, name, identity);
    const context: ProjectContext = {
      project,
      region,
      platformDomain: args.platformDomain,
      access,
      sharedHost,
      stagingCluster: clusters.find((_, i) => plan.sharedClusters[i]?.stage === "staging"),
      developmentCluster: clusters.find((_, i) => plan.sharedClusters[i]?.stage === "development"),
      backup: this.backup,
      production: fromProd.identity,
      backupSource: role === "staging" ? fromProd.backupSource : undefined,
      controlPlane: stack.controlPlane,
      warehouseUrl: stack.warehouseUrl,
    };
    this.environments = environments.map(
      (plan) => new Environment(`${name}-${plan.slug}`, { plan }, context, child),
    );

    if (sharedHost) {
      const onShared = this.environments.filter((e) => e.host === sharedHost.host);
      new ReverseProxy(
        `${sharedHost.host.baseName}-proxy`,
        {
          sites: onShared.map((e) => e.site),
          acmeEmail: acmeEmail(args.platformDomain),
          image: PLATFORM_IMAGES.caddy,
        },
        {
          host: sharedHost.host,
          mailpitPasswordHashes: Object.fromEntries(
            onShared.flatMap((e) => (e.mailpit ? [[e.site.slug, e.mailpit.uiPasswordHash]] : [])),
          ),
        },
        { parent: sharedHost.host },
      );
    }
    // Each shared cluster admits exactly the hosts of the environments using it.
    const hostsOf = (keep: (e: EnvironmentPlan) => boolean) => [
      ...new Set(this.environments.filter((_e, i) => keep(environments[i]!)).map((e) => e.host)),
    ];
    clusters.forEach((cluster, i) => {
      const slugs = plan.sharedClusters[i]?.slugs ?? [];
      cluster.admit(hostsOf((e) => slugs.includes(e.slug)).map((h) => h.dropletId));
    });

    const urns = [
      ...(sharedHost ? sharedHost.host.urns : []),
      ...clusters.map((c) => c.cluster.clusterUrn),
      ...(this.backup ? [this.backup.bucket.bucketUrn] : []),
      ...this.environments.flatMap((e) => e.urns),
    ];
    if (urns.length > 0)
      new digitalocean.ProjectResources(
        `${name}-grouping`,
        { project: this.network.doProject.id, resources: urns },
        child,
      );
    RepositoryGovernance.forProject(name, args, { parent: this });
    const sso = identityPlan(project, environments, args.platformDomain);
    if (sso && stack.keycloak) {
      const identity = new TenantIdentity(`${name}-identity`, sso, stack.keycloak, child);
      // Every environment of the stack signs in with the stack's Odoo client (odoo / odoo-nonprod).
      const clientId = odooClientId(sso.ownsRealm);
      const client = identity.clients[clientId];
      if (client) {
        const provider = odooOidcProvider(
          project.name,
          args.platformDomain,
          clientId,
          project.sso!.odoo.loginLabel,
        );
        for (const environment of this.environments) environment.signIn(provider, client.secret);
      }
    }
    this.registerOutputs({});
  }

  private sharedDevHost(
    name: string,
    plan: HostPlan,
    previews: readonly EnvironmentPlan[],
    region: string,
    access: ProjectContext["access"],
  ): SharedHost {
    const onHost = previews.filter((e) => e.host.placement === "shared");
    const host = new Host(
      `${name}-${SHARED_DEV_HOST}`,
      {
        project: name,
        stage: "development",
        placement: "shared",
        dropletName: hostName(name, SHARED_DEV_HOST),
        region,
        size: plan.size,
        volumeGb: plan.volumeGb,
        // The host lives as long as its longest-lived preview.
        tags: hostTags({
          project: name,
          stage: "development",
          branch: SHARED_HOST_BRANCH,
          expires: latestExpiry(onHost.map(expiryOf)),
        }),
        reservedIp: false,
      },
      access,
      { parent: this },
    );
    const agent = new DataAgent(
      `${host.baseName}-agent`,
      { project: name, stage: "development", image: PLATFORM_IMAGES.agent, schedule: undefined },
      { host },
      { parent: host },
    );
    return { host, agent };
  }
}
