import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { type InitStep, initDatabaseCommand } from "../model/plan/agent-commands.ts";
import {
  type AdminCredentials,
  type DatabaseConnection,
  databaseEnvironment,
} from "../model/plan/database-env.ts";
import { ODOO_CONF_ENV } from "../model/plan/odoo-run.ts";
import type { Host } from "./host.ts";

export interface DatabaseInitArgs {
  step: InitStep;
}

export interface DatabaseInitDeps {
  host: Host;
  connection: pulumi.Input<DatabaseConnection>;
  admin: pulumi.Input<AdminCredentials>;
  /** The environment's odoo.conf without the master password: Odoo installs with what it will run with. */
  odooConf: pulumi.Input<string>;
  /** What must exist first: the database, the role, the agent container that runs psql, the pulled image. */
  after: pulumi.Resource[];
}

/**
 * First start of a new database (production, development previews): hand it to the environment's role
 * and install the project's modules with the environment's own image, demo data in development. It
 * leaves an initialised database alone, so a rerun never touches data.
 */
export class DatabaseInit extends pulumi.ComponentResource {
  readonly command: command.remote.Command;

  constructor(
    name: string,
    args: DatabaseInitArgs,
    deps: DatabaseInitDeps,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:database:DatabaseInit", name, args, opts);
    this.command = new command.remote.Command(
      `${name}-command`,
      {
        connection: deps.host.connection,
        create: initDatabaseCommand(args.step),
        environment: pulumi.secret(
          pulumi.all([deps.connection, deps.admin, deps.odooConf]).apply(([c, admin, conf]) => ({
            ...databaseEnvironment(c, admin),
            [ODOO_CONF_ENV]: conf,
          })),
        ),
        triggers: [args.step.database],
      },
      { parent: this, dependsOn: [deps.host.ready, ...deps.after] },
    );
    this.registerOutputs({});
  }
}
