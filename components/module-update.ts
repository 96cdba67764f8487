import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { moduleUpdateCommand, type UpdateStep } from "../model/plan/module-update.ts";
import { ODOO_CONF_ENV } from "../model/plan/odoo-run.ts";
import { shellQuote } from "../model/shell.ts";
import type { Host } from "./host.ts";

export interface ModuleUpdateArgs {
  step: UpdateStep;
  /**
   * Whether the first run updates too: a staging build's database is a copy of production, behind the
   * new code; a database the same image has just initialised (production, previews) is not.
   */
  onCreate: boolean;
}

export interface ModuleUpdateDeps {
  host: Host;
  /** The environment's odoo.conf without the master password (a secret). */
  odooConf: pulumi.Input<string>;
  /** The pulled image and the steps that prepare the database (init, or clone → neutralize → mask). */
  after: pulumi.Resource[];
}

/**
 * Updates the environment's modules with a new image before its Odoo container is replaced: the
 * container depends on this step, so a failed update (or a failed pre-deploy backup) stops the deploy
 * and the previous container keeps serving. It runs again whenever its inputs change: a new image, a
 * new staging build's database, a new odoo.conf.
 */
export class ModuleUpdate extends pulumi.ComponentResource {
  readonly command: command.remote.Command;

  constructor(
    name: string,
    args: ModuleUpdateArgs,
    deps: ModuleUpdateDeps,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:odoo:ModuleUpdate", name, args, opts);
    const update = moduleUpdateCommand(args.step);
    this.command = new command.remote.Command(
      `${name}-command`,
      {
        connection: deps.host.connection,
        create: args.onCreate
          ? update
          : `echo ${shellQuote(`${args.step.database} was initialised with ${args.step.image}`)}`,
        update,
        environment: pulumi.secret(pulumi.output(deps.odooConf).apply((conf) => ({ [ODOO_CONF_ENV]: conf }))),
      },
      { parent: this, dependsOn: [deps.host.ready, ...deps.after] },
    );
    this.registerOutputs({});
  }
}
