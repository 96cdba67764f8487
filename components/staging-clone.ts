import * as command from "@pulumi/command";
import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import {
  createFreshDatabaseCommand,
  dropDatabaseCommand,
  type PrepareStep,
  prepareStagingCommand,
} from "../model/plan/agent-commands.ts";
import {
  type AdminCredentials,
  type BackupSource,
  backupSourceEnvironment,
  type DatabaseConnection,
  databaseEnvironment,
} from "../model/plan/database-env.ts";
import { credentialsOf, ManagedCluster, type ManagedClusterArgs } from "./database.ts";
import type { Host } from "./host.ts";

export interface StagingCloneArgs {
  strategy: "fork" | "dump";
  buildId: string;
  /** The build's database (dump) — a new name per build, so no database is ever reused. */
  database: string;
  /** The environment's role on the staging cluster (dump). */
  role: string;
  /** The build's own cluster (fork) — named per build, restored from production's newest backup. */
  fork: ManagedClusterArgs | undefined;
  prepare: Omit<PrepareStep, "targetDb">;
}

export interface StagingCloneDeps {
  host: Host;
  vpcId: pulumi.Input<string>;
  /** dump: the project's staging cluster. */
  stagingCluster: ManagedCluster | undefined;
  /** Production's identity and read-only backup key, from the prod stack's outputs. */
  production: pulumi.Output<{ clusterName: string; databaseName: string }>;
  backupSource: pulumi.Output<BackupSource>;
  /** The agent container the steps run in. */
  agent: pulumi.Resource;
}

/**
 * A staging build's database: a fresh copy of production for every build, neutralized and masked
 * before Odoo starts. `fork`: a new cluster named after the build, restored from production's backup.
 * `dump`: a new database named after the build on the project's staging cluster, filled by the agent
 * from production's newest backup. A fork's filestore comes from that backup too (a cluster backup holds
 * only the database). Either way the step is triggered by the build id, and the previous
 * build's copy is dropped once the new one is in place (create-before-delete).
 */
export class StagingClone extends pulumi.ComponentResource {
  readonly connection: pulumi.Output<DatabaseConnection>;
  /** Odoo waits for this: the copy exists, is neutralized and masked. */
  readonly prepared: command.remote.Command;
  /** Hosts this clone's database admits (fork: its own cluster's firewall). */
  readonly forkCluster: ManagedCluster | undefined;
  readonly user: digitalocean.DatabaseUser | undefined;

  constructor(
    name: string,
    args: StagingCloneArgs,
    deps: StagingCloneDeps,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:staging:StagingClone", name, args, opts);
    const { host } = deps;
    let fresh: pulumi.Resource[] = [];
    if (args.strategy === "fork") {
      if (!args.fork) throw new Error(`${name}: a fork needs its cluster's settings`);
      this.forkCluster = new ManagedCluster(
        `${name}-fork`,
        args.fork,
        { vpcId: deps.vpcId, restoreFrom: deps.production.clusterName },
        { parent: this },
      );
      this.forkCluster.admit([host.dropletId]);
      // The restored cluster holds production's database; nothing else runs on it, so its admin is the role.
      this.connection = this.forkCluster.connection(this.forkCluster.admin, deps.production.databaseName);
      fresh = [this.forkCluster.cluster];
    } else {
      const cluster = deps.stagingCluster;
      if (!cluster) throw new Error(`${name}: a dump clone needs the project's staging cluster`);
      this.user = new digitalocean.DatabaseUser(
        `${name}-user`,
        { clusterId: cluster.cluster.id, name: args.role },
        { parent: this },
      );
      this.connection = cluster.connection(credentialsOf(this.user), args.database);
      const admin: pulumi.Output<AdminCredentials> = cluster.admin;
      const freshDb = new command.remote.Command(
        `${name}-fresh-database`,
        {
          connection: host.connection,
          create: createFreshDatabaseCommand({ database: args.database, owner: args.role }),
          delete: dropDatabaseCommand(args.database),
          environment: pulumi.secret(
            pulumi.all([this.connection, admin]).apply(([c, a]) => databaseEnvironment(c, a)),
          ),
          triggers: [args.database],
        },
        { parent: this, dependsOn: [host.ready, deps.agent, this.user] },
      );
      fresh = [freshDb];
    }
    // Both read production's backups: dump for the database and filestore, fork for the filestore.
    const env = pulumi.secret(
      pulumi
        .all([this.connection, deps.backupSource])
        .apply(([c, source]) => ({ ...databaseEnvironment(c), ...backupSourceEnvironment(source) })),
    );
    const targetDb = args.strategy === "fork" ? deps.production.databaseName : pulumi.output(args.database);
    this.prepared = new command.remote.Command(
      `${name}-prepare`,
      {
        connection: host.connection,
        create: targetDb.apply((db) => prepareStagingCommand({ ...args.prepare, targetDb: db })),
        environment: env,
        triggers: [args.buildId, args.database],
      },
      { parent: this, dependsOn: [host.ready, deps.agent, ...fresh] },
    );
    this.registerOutputs({});
  }
}
