import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import {
  type OdooOidcProvider,
  OIDC_CLIENT_SECRET_ENV,
  OIDC_PROVIDER_ENV,
  odooSignInCommand,
  type SignInStep,
} from "../../model/plan/identity/odoo-provider.ts";
import { ODOO_CONF_ENV } from "../../model/plan/odoo-run.ts";
import type { Host } from "../host.ts";

export interface OdooSignInArgs {
  step: Omit<SignInStep, "database">;
  /** The record without its secret. */
  provider: OdooOidcProvider;
}

export interface OdooSignInDeps {
  host: Host;
  database: pulumi.Output<string>;
  /** odoo.conf for one-shot runs (a secret: it holds the database password). */
  odooConf: pulumi.Input<string>;
  /** The Keycloak client's generated secret: also what makes this step wait for the client. */
  clientSecret: pulumi.Output<string>;
  /** The database is ready and Odoo's modules are updated (auth_oidc among them). */
  after: pulumi.Resource[];
}

/**
 * The environment's Keycloak sign-in in Odoo: OCA auth_oidc's `auth.oauth.provider` record for the
 * stack's client, written into the environment's database (model/plan/identity/odoo-provider.ts). It
 * runs again for a new database (a staging build) or a new client or secret.
 */
export class OdooSignIn extends pulumi.ComponentResource {
  readonly command: command.remote.Command;

  constructor(
    name: string,
    args: OdooSignInArgs,
    deps: OdooSignInDeps,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:identity:OdooSignIn", name, { step: args.step, provider: args.provider }, opts);
    const run = deps.database.apply((database) => odooSignInCommand({ ...args.step, database }));
    this.command = new command.remote.Command(
      `${name}-command`,
      {
        connection: deps.host.connection,
        create: run,
        update: run,
        environment: pulumi.secret(
          pulumi.all([deps.odooConf, deps.clientSecret]).apply(([conf, secret]) => ({
            [ODOO_CONF_ENV]: conf,
            [OIDC_PROVIDER_ENV]: JSON.stringify(args.provider),
            [OIDC_CLIENT_SECRET_ENV]: secret,
          })),
        ),
        triggers: [deps.database, args.provider.client_id, args.step.image],
      },
      { parent: this, dependsOn: [deps.host.ready, ...deps.after] },
    );
    this.registerOutputs({});
  }
}
