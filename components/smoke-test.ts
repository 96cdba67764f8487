import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { type DatabaseConnection, databaseEnvironment } from "../model/plan/database-env.ts";
import { type SmokeStep, stagingSmokeCommand } from "../model/plan/smoke-step.ts";
import type { Host } from "./host.ts";

export interface SmokeTestArgs {
  step: Omit<SmokeStep, "database">;
}

export interface SmokeTestDeps {
  host: Host;
  /** The build's database, as the environment's role: the one-time login is set there. */
  connection: pulumi.Output<DatabaseConnection>;
  /** The Odoo container serving the build, and the agent the tests run in. */
  after: pulumi.Resource[];
}

/**
 * A staging build's smoke tests (model/plan/smoke-step.ts), run once the build's Odoo container serves
 * the new copy: again for every new build, image or database. A failure fails the deploy of that
 * build; its Odoo keeps serving, for the QA tester to look at.
 */
export class SmokeTest extends pulumi.ComponentResource {
  readonly command: command.remote.Command;

  constructor(
    name: string,
    args: SmokeTestArgs,
    deps: SmokeTestDeps,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:staging:SmokeTest", name, args, opts);
    const database = pulumi.unsecret(deps.connection.apply((c) => c.database)); // a name, not a secret
    const run = database.apply((db) => stagingSmokeCommand({ ...args.step, database: db }));
    this.command = new command.remote.Command(
      `${name}-command`,
      {
        connection: deps.host.connection,
        create: run,
        update: run,
        environment: pulumi.secret(deps.connection.apply((c) => databaseEnvironment(c))),
        triggers: [args.step.buildId, args.step.image, database],
      },
      { parent: this, dependsOn: [deps.host.ready, ...deps.after] },
    );
    this.registerOutputs({});
  }
}
