import * as digitalocean from "@pulumi/digitalocean";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { firewallPlan } from "../../model/plan/firewall-rules.ts";
import { hostName } from "../../model/plan/host-layout.ts";
import { workflowUploads } from "../../model/plan/n8n/audited-paths.ts";
import { PLATFORM_IMAGES } from "../../model/plan/platform-images.ts";
import { clusterName } from "../../model/plan/production-identity.ts";
import { SERVICES_NAME, type ServicePlan, type ServicesPlan } from "../../model/plan/services/plan.ts";
import { serviceContainerName, serviceEnvironment } from "../../model/plan/services/runtime.ts";
import { hostTags } from "../../model/plan/tags.ts";
import { BackupStorage } from "../backup-storage.ts";
import { EnvironmentDatabase, ManagedCluster } from "../database.ts";
import { acmeEmail } from "../environment.ts";
import { Host, type HostAccess } from "../host.ts";
import { ProjectNetwork } from "../network.ts";
import { ReverseProxy } from "../proxy.ts";
import { N8nWorkflowImport, readWorkflows } from "./n8n-workflows.ts";

export interface ServicesDeps {
  platformDomain: string;
  region: string;
  deploySources: string[];
  access: Omit<HostAccess, "vpcId">;
}

/**
 * Keycloak, n8n, Mattermost and Superset for every tenant (issue 18 part 2), materialized from the
 * ServicesPlan: the platform host behind the same TLS proxy as Odoo, a protected cluster with a database
 * and role per service, a backup bucket with Odoo's retention, DNS per service. A service whose image is
 * not pinned by digest gets everything but its container.
 */
export class PlatformServices extends pulumi.ComponentResource {
  constructor(name: string, plan: ServicesPlan, deps: ServicesDeps, opts?: pulumi.ComponentResourceOptions) {
    super("odooops:services:PlatformServices", name, { plan }, opts);
    const child = { parent: this };
    const firewall = { sshSources: [], deploySources: deps.deploySources, smtpEgress: "allowed" as const };
    const network = new ProjectNetwork(
      `${name}-network`,
      {
        project: SERVICES_NAME,
        region: deps.region,
        role: "production",
        protect: true,
        firewalls: [{ stage: "production", ...firewall, rules: firewallPlan(firewall) }],
      },
      child,
    );
    const host = new Host(
      `${name}-host`,
      {
        project: SERVICES_NAME,
        stage: "production",
        placement: "dedicated",
        dropletName: hostName("odooops", SERVICES_NAME),
        region: deps.region,
        size: plan.hostSize,
        volumeGb: plan.volumeGb,
        tags: hostTags({ project: SERVICES_NAME, stage: "production", branch: "platform", expires: "never" }),
        reservedIp: true,
      },
      { ...deps.access, vpcId: network.vpc.id },
      child,
    );
    const cluster = new ManagedCluster(
      `${name}-postgres`,
      {
        project: SERVICES_NAME,
        stage: "production",
        role: "production",
        clusterName: clusterName(SERVICES_NAME),
        size: plan.database.size,
        nodes: plan.database.nodes,
        region: deps.region,
        maintenance: undefined,
      },
      { vpcId: network.vpc.id },
      child,
    );
    cluster.admit([host.dropletId]);
    new BackupStorage(
      `${name}-backup`,
      { bucket: plan.backup.bucket, region: deps.region, lifecycle: plan.backup.lifecycle },
      child,
    );
    for (const service of plan.services) {
      new digitalocean.DnsRecord(
        `${name}-${service.service}-dns`,
        {
          domain: deps.platformDomain,
          name: service.hostname.split(".")[0]!,
          type: "A",
          value: host.publicIp,
          ttl: 300,
        },
        child,
      );
      const database = new EnvironmentDatabase(
        `${name}-${service.service}-database`,
        { database: service.database, role: service.database, protect: true },
        { cluster },
        child,
      );
      if (service.image)
        this.container(name, service, service.image, host, database.connection, deps.platformDomain);
    }
    new ReverseProxy(
      `${name}-proxy`,
      {
        sites: [],
        acmeEmail: acmeEmail(deps.platformDomain),
        image: PLATFORM_IMAGES.caddy,
        services: plan.services
          .filter((s) => s.image)
          .map((s) => ({ hostname: s.hostname, upstream: `${serviceContainerName(s.service)}:${s.port}` })),
      },
      { host, mailpitPasswordHashes: {} },
      { parent: host },
    );
    this.registerOutputs({});
  }

  private container(
    name: string,
    service: ServicePlan,
    image: string,
    host: Host,
    connection: EnvironmentDatabase["connection"],
    platformDomain: string,
  ): void {
    const onHost = { parent: this, provider: host.docker, dependsOn: [host.ready] };
    const pulled = new docker.RemoteImage(
      `${name}-${service.service}-image`,
      { name: image, keepLocally: true },
      onHost,
    );
    const workflows = service.service === "n8n" ? readWorkflows() : [];
    const container = new docker.Container(
      `${name}-${service.service}-container`,
      {
        name: serviceContainerName(service.service),
        image: pulled.repoDigest,
        restart: "unless-stopped",
        networksAdvanced: [{ name: host.network.name }],
        envs: pulumi.secret(connection.apply((c) => serviceEnvironment(service, c, platformDomain))),
        uploads: workflowUploads(workflows),
      },
      { ...onHost, deleteBeforeReplace: true },
    );
    if (workflows.length > 0)
      new N8nWorkflowImport(
        `${name}-n8n-workflows`,
        { container: serviceContainerName("n8n"), files: workflows },
        { host, after: [container] },
        { parent: this },
      );
  }
}
