import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import type { AdminCredentials, DatabaseConnection } from "../model/plan/database-env.ts";
import { PRODUCTION_CLUSTER_IGNORED } from "../model/plan/replacement-facts.ts";
import { resourceTags } from "../model/plan/tags.ts";
import type { DatabaseSize } from "../model/prices.ts";
import type { Stage } from "../model/stages.ts";

/** The PostgreSQL major version of every cluster: the agent's pg_dump/pg_restore are of the same one. */
export const POSTGRES_VERSION = "15";

export interface ManagedClusterArgs {
  project: string;
  stage: Stage;
  /** production, a project's shared staging or development cluster, or a staging build's fork. */
  role: "production" | "staging" | "development" | "fork";
  clusterName: string;
  size: DatabaseSize;
  nodes: number;
  region: string;
  /** Production only: when DigitalOcean may apply updates (UTC). */
  maintenance: { day: string; hour: string } | undefined;
}

export interface ClusterDeps {
  vpcId: pulumi.Input<string>;
  /** fork: the production cluster whose newest backup this cluster is restored from. */
  restoreFrom?: pulumi.Input<string>;
}

/**
 * A managed PostgreSQL cluster in the project's VPC. Production's is protected, and every input the
 * provider replaces on change (name, engine, VPC, DigitalOcean project) is ignored after creation, so
 * no edit of a project file can replace it; size, nodes and maintenance window update in place.
 */
export class ManagedCluster extends pulumi.ComponentResource {
  readonly cluster: digitalocean.DatabaseCluster;
  readonly admin: pulumi.Output<AdminCredentials>;
  private firewall: digitalocean.DatabaseFirewall | undefined;
  private readonly baseName: string;

  constructor(
    name: string,
    args: ManagedClusterArgs,
    deps: ClusterDeps,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:database:ManagedCluster", name, args, opts);
    this.baseName = name;
    const production = args.role === "production";
    this.cluster = new digitalocean.DatabaseCluster(
      `${name}-cluster`,
      {
        name: args.clusterName,
        engine: "pg",
        version: POSTGRES_VERSION,
        size: args.size,
        nodeCount: args.nodes,
        region: args.region,
        privateNetworkUuid: deps.vpcId,
        tags: resourceTags(args.project, args.stage),
        maintenanceWindows: args.maintenance ? [args.maintenance] : undefined,
        backupRestore: deps.restoreFrom ? { databaseName: deps.restoreFrom } : undefined,
      },
      {
        parent: this,
        protect: production,
        ignoreChanges: production ? PRODUCTION_CLUSTER_IGNORED : [],
      },
    );
    this.admin = pulumi.secret(
      pulumi
        .all([this.cluster.user, this.cluster.password])
        .apply(([user, password]) => ({ user, password })),
    );
    this.registerOutputs({});
  }

  /**
   * Admits exactly these hosts, and nothing else, to the cluster. Called once every host using the
   * cluster exists (a shared cluster serves hosts created after it).
   */
  admit(dropletIds: pulumi.Input<number>[]): digitalocean.DatabaseFirewall {
    if (this.firewall) throw new Error(`${this.baseName}: a cluster's firewall is declared once`);
    this.firewall = new digitalocean.DatabaseFirewall(
      `${this.baseName}-firewall`,
      {
        clusterId: this.cluster.id,
        rules: dropletIds.map((id) => ({ type: "droplet", value: pulumi.output(id).apply(String) })),
      },
      { parent: this },
    );
    return this.firewall;
  }

  /** A connection to `database` over the VPC with the given credentials. */
  connection(
    credentials: pulumi.Input<AdminCredentials>,
    database: pulumi.Input<string>,
  ): pulumi.Output<DatabaseConnection> {
    return pulumi.secret(
      pulumi
        .all([this.cluster.privateHost, this.cluster.port, credentials, database])
        .apply(([host, port, c, db]) => ({ host, port, user: c.user, password: c.password, database: db })),
    );
  }
}

/** A database role's credentials, as a secret. */
export function credentialsOf(user: digitalocean.DatabaseUser): pulumi.Output<AdminCredentials> {
  return pulumi.secret(
    pulumi.all([user.name, user.password]).apply(([name, password]) => ({ user: name, password })),
  );
}

export interface EnvironmentDatabaseArgs {
  /** The database's name: per branch in development, the project's name in production. */
  database: string;
  /** The environment's own role; it owns the database once initialised. */
  role: string;
  /** Production's database and role are production data: protected from deletion. */
  protect: boolean;
}

/** An environment's database and role on a cluster (production's own, or the shared dev cluster). */
export class EnvironmentDatabase extends pulumi.ComponentResource {
  readonly db: digitalocean.DatabaseDb;
  readonly user: digitalocean.DatabaseUser;
  readonly connection: pulumi.Output<DatabaseConnection>;

  constructor(
    name: string,
    args: EnvironmentDatabaseArgs,
    deps: { cluster: ManagedCluster },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:database:EnvironmentDatabase", name, args, opts);
    const clusterId = deps.cluster.cluster.id;
    this.db = new digitalocean.DatabaseDb(
      `${name}-db`,
      { clusterId, name: args.database },
      { parent: this, protect: args.protect },
    );
    this.user = new digitalocean.DatabaseUser(
      `${name}-user`,
      { clusterId, name: args.role },
      { parent: this, protect: args.protect },
    );
    this.connection = deps.cluster.connection(credentialsOf(this.user), this.db.name);
    this.registerOutputs({});
  }
}
