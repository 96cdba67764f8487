import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type AdminCredentials, type DatabaseConnection, postgresUrl } from "../model/plan/database-env.ts";
import {
  WAREHOUSE_ENV,
  type WarehouseSettings,
  warehouseNames,
  warehousePublishCommand,
  warehouseSubscribeCommand,
} from "../model/plan/warehouse.ts";
import type { Host } from "./host.ts";

export interface WarehouseArgs {
  project: string;
  settings: WarehouseSettings;
  /** The tenant's database on the warehouse server (model/plan/warehouse.ts). */
  database: string;
}

export interface WarehouseDeps {
  /** Production's host: its agent runs both steps. */
  host: Host;
  connection: pulumi.Input<DatabaseConnection>;
  admin: pulumi.Input<AdminCredentials>;
  /** The warehouse server's admin URL (secret stack config odooops:warehouseUrl). */
  warehouseUrl: pulumi.Input<string>;
  /** Production's database must be initialised first. */
  after: pulumi.Resource[];
}

/**
 * Production's declared tables replicated into the tenant's warehouse database: the publication (on
 * production, without the mask profile's personal columns) and the subscription (on the warehouse).
 * The replication login's password is generated here and travels only as a secret environment value.
 */
export class Warehouse extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: WarehouseArgs,
    deps: WarehouseDeps,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:warehouse:Warehouse", name, args, opts);
    const names = warehouseNames(args.project);
    const password = new random.RandomPassword(
      `${name}-replication-password`,
      { length: 40, special: false },
      { parent: this },
    );
    // Rerun both steps when the table set or the profile changes: a stricter profile drops columns.
    const triggers = [args.settings.tables.join(","), args.settings.mask];
    const publish = new command.remote.Command(
      `${name}-publish`,
      {
        connection: deps.host.connection,
        create: warehousePublishCommand(args.project, args.settings),
        environment: pulumi.secret(
          pulumi.all([deps.connection, deps.admin, password.result]).apply(([c, admin, pw]) => ({
            [WAREHOUSE_ENV.sourceUrl]: postgresUrl({ ...c, user: admin.user, password: admin.password }),
            [WAREHOUSE_ENV.replicationPassword]: pw,
          })),
        ),
        triggers,
      },
      { parent: this, dependsOn: [deps.host.ready, ...deps.after] },
    );
    new command.remote.Command(
      `${name}-subscribe`,
      {
        connection: deps.host.connection,
        create: warehouseSubscribeCommand(args.project),
        environment: pulumi.secret(
          pulumi.all([deps.connection, password.result, deps.warehouseUrl]).apply(([c, pw, url]) => ({
            [WAREHOUSE_ENV.warehouseUrl]: url,
            [WAREHOUSE_ENV.replicatorUrl]: postgresUrl({ ...c, user: names.replicationRole, password: pw }),
          })),
        ),
        triggers,
      },
      { parent: this, dependsOn: [publish] },
    );
    this.registerOutputs({});
  }
}
