import * as pulumi from "@pulumi/pulumi";
import { agentRecordsEvidence } from "../model/governance/agent-control-plane.ts";
import { databaseName } from "../model/naming.ts";
import { AGENT_DATA_ENV, type AgentSchedule } from "../model/plan/agent-commands.ts";
import { type DatabaseConnection, postgresUrl } from "../model/plan/database-env.ts";
import type { EnvironmentPlan } from "../model/plan/environment-plan.ts";
import { databaseFilestore, filestorePath } from "../model/plan/host-layout.ts";
import { initialModules, type OdooConfSpec } from "../model/plan/odoo-config.ts";
import { PLATFORM_IMAGES } from "../model/plan/platform-images.ts";
import { clusterName, productionIdentity } from "../model/plan/production-identity.ts";
import { warehouseNames } from "../model/plan/warehouse.ts";
import type { ProjectContext } from "./context.ts";
import { DataAgent } from "./data-agent.ts";
import { EnvironmentDatabase, ManagedCluster } from "./database.ts";
import { DatabaseInit } from "./database-init.ts";
import type { Host } from "./host.ts";
import { odooConf } from "./odoo.ts";
import { StagingClone } from "./staging-clone.ts";
import { Warehouse } from "./warehouse.ts";

/** What Odoo needs from an environment's data layer: its connection and the steps to wait for. */
export interface EnvironmentData {
  connection: pulumi.Output<DatabaseConnection>;
  after: pulumi.Resource[];
  /** DigitalOcean resources of the environment's own (cluster URNs), for the project grouping. */
  urns: pulumi.Output<string>[];
}

interface Scope {
  name: string;
  plan: EnvironmentPlan;
  context: ProjectContext;
  host: Host;
  /** Children of the Environment component. */
  parent: pulumi.Resource;
  /** Mailpit's SMTP host for neutralize; undefined without a mail catcher. */
  mailpitHost: string | undefined;
  /** The environment's odoo.conf settings, which database init runs with too. */
  conf: OdooConfSpec;
  /** The environment's image, pulled on the host. */
  image: pulumi.Resource;
}

/** The environment's own database role: one per environment, never shared. */
export function roleName(project: string, slug: string): string {
  return databaseName("odoo", project, slug);
}

function agentOn(scope: Scope, env?: pulumi.Input<string[]>, schedule?: AgentSchedule): DataAgent {
  const { plan, host, context } = scope;
  const controlPlane = agentRecordsEvidence(plan.stage) ? context.controlPlane : undefined;
  return new DataAgent(
    `${host.baseName}-agent`,
    { project: plan.project, stage: plan.stage, branch: plan.branch, image: PLATFORM_IMAGES.agent, schedule },
    { host, env, controlPlane },
    { parent: host },
  );
}

/** First start of a new database: install the project's modules (with demo data in previews). */
function initialize(
  scope: Scope,
  database: EnvironmentDatabase,
  cluster: ManagedCluster,
  agent: DataAgent,
  demo: boolean,
): DatabaseInit {
  const { name, plan, context, host, parent } = scope;
  return new DatabaseInit(
    `${name}-init`,
    {
      step: {
        filestore: filestorePath(plan.slug),
        database: plan.database.name,
        owner: roleName(plan.project, plan.slug),
        image: plan.image,
        odooVersion: plan.odooVersion,
        modules: initialModules(context.project.bundles, context.project.sso !== undefined),
        demo,
        stage: plan.stage,
      },
    },
    {
      host,
      connection: database.connection,
      admin: cluster.admin,
      odooConf: odooConf(scope.conf, database.connection),
      after: [database.db, database.user, agent.container, scope.image],
    },
    { parent },
  );
}

/** Production: the protected cluster, its database and role, the agent with backups, first init. */
export function productionData(scope: Scope): EnvironmentData {
  const { name, plan, context, host, parent } = scope;
  if (plan.database.kind !== "cluster") throw new Error(`${name}: production runs on its own cluster`);
  const { project } = context;
  const identity = context.production;
  const cluster = new ManagedCluster(
    `${name}-postgres`,
    {
      project: plan.project,
      stage: plan.stage,
      role: "production",
      clusterName: productionIdentity(plan.project, context.platformDomain, context.region).clusterName,
      size: plan.database.size,
      nodes: plan.database.nodes,
      region: context.region,
      maintenance: project.environments.production.maintenance,
    },
    { vpcId: context.access.vpcId },
    { parent },
  );
  cluster.admit([host.dropletId]);
  const database = new EnvironmentDatabase(
    `${name}-database`,
    { database: plan.database.name, role: roleName(plan.project, plan.slug), protect: true },
    { cluster },
    { parent },
  );
  const backup = context.backup;
  if (!backup) throw new Error(`${name}: production needs the project's backup storage`);
  const agentEnv = pulumi.secret(
    pulumi.all([database.connection, backup.writer, identity]).apply(([c, key, id]) => {
      const url = postgresUrl(c);
      return [
        `${AGENT_DATA_ENV.dbUrl}=${url}`,
        // The agent refuses to neutralize or mask anything reached through this connection.
        `ODOOOPS_PRODUCTION_DB_URL=${url}`,
        `${AGENT_DATA_ENV.backupUrl}=s3://${id.backupBucket}/${id.backupPrefix}`,
        `${AGENT_DATA_ENV.filestoreDir}=${databaseFilestore(filestorePath(plan.slug), plan.database.name)}`,
        `AWS_ENDPOINT_URL=${id.backupEndpoint}`,
        `AWS_ACCESS_KEY_ID=${key.accessKey}`,
        `AWS_SECRET_ACCESS_KEY=${key.secretKey}`,
      ];
    }),
  );
  const agent = agentOn(scope, agentEnv, {
    backupCron: project.backup.schedule,
    drillCron: project.backup.drill,
    retention: project.retention,
  });
  const init = initialize(scope, database, cluster, agent, false);
  const warehouse = context.project.warehouse;
  if (warehouse)
    new Warehouse(
      `${name}-warehouse`,
      { project: plan.project, settings: warehouse, database: warehouseNames(plan.project).database },
      {
        host,
        connection: database.connection,
        admin: cluster.admin,
        warehouseUrl: context.warehouseUrl,
        after: [init.command],
      },
      { parent },
    );
  return { connection: database.connection, after: [init.command], urns: [cluster.cluster.clusterUrn] };
}

/** Staging: a fresh, neutralized, masked copy of production for this build. */
export function stagingData(scope: Scope): EnvironmentData & { clone: StagingClone } {
  const { name, plan, context, host, parent } = scope;
  if (plan.database.kind !== "clone") throw new Error(`${name}: staging runs on a copy of production`);
  const db = plan.database;
  const agent = agentOn(scope);
  const clone = new StagingClone(
    `${name}-clone`,
    {
      strategy: db.strategy,
      buildId: db.buildId,
      database: db.name,
      role: roleName(plan.project, plan.slug),
      fork:
        db.strategy === "fork"
          ? {
              project: plan.project,
              stage: plan.stage,
              role: "fork",
              clusterName: clusterName(plan.project, plan.slug, db.buildId),
              size: db.size,
              nodes: 1,
              region: context.region,
              maintenance: undefined,
            }
          : undefined,
      prepare: {
        filestore: filestorePath(plan.slug),
        strategy: db.strategy,
        neutralize: db.neutralize,
        mask: db.mask,
        baseUrl: `https://${plan.hostnames[0]}`,
        mailpitHost: scope.mailpitHost ?? "",
        odooImage: plan.image,
      },
    },
    {
      host,
      vpcId: context.access.vpcId,
      stagingCluster: context.stagingCluster,
      production: context.production,
      backupSource:
        context.backupSource ??
        pulumi.output({ bucket: "", prefix: "", endpoint: "", accessKey: "", secretKey: "" }),
      agent: agent.container,
    },
    { parent },
  );
  const urns = clone.forkCluster ? [clone.forkCluster.cluster.clusterUrn] : [];
  return { connection: clone.connection, after: [clone.prepared], urns, clone };
}

/** Development: a database per branch on the project's dev cluster, initialised with demo data. */
export function developmentData(scope: Scope): EnvironmentData {
  const { name, plan, context, parent } = scope;
  if (plan.database.kind !== "branch") throw new Error(`${name}: a preview has its branch database`);
  const cluster = context.developmentCluster;
  if (!cluster) throw new Error(`${name}: previews need the project's development cluster`);
  const agent = plan.host.placement === "shared" ? context.sharedHost?.agent : agentOn(scope);
  if (!agent) throw new Error(`${name}: the shared dev host has no agent`);
  const database = new EnvironmentDatabase(
    `${name}-database`,
    { database: plan.database.name, role: roleName(plan.project, plan.slug), protect: false },
    { cluster },
    { parent },
  );
  const init = initialize(scope, database, cluster, agent, plan.database.demoData);
  return { connection: database.connection, after: [init.command], urns: [] };
}
