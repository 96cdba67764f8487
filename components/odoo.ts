import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ODOO_EXECUTABLE } from "../model/plan/app-image.ts";
import type { DatabaseConnection } from "../model/plan/database-env.ts";
import { filestorePath, ODOO_CONF_PATH, odooContainer } from "../model/plan/host-layout.ts";
import { type OdooConfSpec, renderOdooConf } from "../model/plan/odoo-config.ts";
import type { Host } from "./host.ts";

export interface OdooArgs {
  slug: string;
  /** The environment's image, pinned by digest. */
  image: string;
  conf: OdooConfSpec;
}

export interface OdooDeps {
  host: Host;
  /** The environment's image, pulled (with the project's registry credentials) before anything runs it. */
  image: docker.RemoteImage;
  connection: pulumi.Input<DatabaseConnection>;
  /** Steps that must finish before Odoo starts: database init, or clone → neutralize → mask, then the module update. */
  after: pulumi.Resource[];
}

/**
 * The environment's odoo.conf as a secret Output; without `adminPassword` for one-shot runs (init,
 * module update), which never serve the database manager.
 */
export function odooConf(
  spec: OdooConfSpec,
  connection: pulumi.Input<DatabaseConnection>,
  adminPassword?: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.all([connection, adminPassword]).apply(([c, admin]) =>
      renderOdooConf(spec, {
        dbHost: c.host,
        dbPort: c.port,
        dbUser: c.user,
        dbPassword: c.password,
        dbName: c.database,
        adminPassword: admin,
      }),
    ),
  );
}

/**
 * Odoo itself: the environment's image pinned by digest, its odoo.conf generated for the stage (workers,
 * proxy mode, one database, no database manager, SMTP to Mailpit outside production), the filestore on
 * the host's volume. It starts only after the steps that prepare its database.
 */
export class Odoo extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly adminPassword: pulumi.Output<string>;

  constructor(name: string, args: OdooArgs, deps: OdooDeps, opts?: pulumi.ComponentResourceOptions) {
    super("odooops:odoo:Odoo", name, args, opts);
    const { host } = deps;
    const admin = new random.RandomPassword(
      `${name}-admin-password`,
      { length: 32, special: false },
      { parent: this },
    );
    this.adminPassword = admin.result;
    const onHost = { parent: this, provider: host.docker, dependsOn: [host.ready] };
    const conf = odooConf(args.conf, deps.connection, admin.result);
    const smtp = args.conf.smtp ? `${args.conf.smtp.server}:${args.conf.smtp.port}` : "database mail servers";
    this.container = new docker.Container(
      `${name}-container`,
      {
        name: odooContainer(args.slug),
        image: deps.image.repoDigest,
        restart: "unless-stopped",
        // Odoo itself, not the image's entrypoint (model/plan/app-image.ts says why).
        entrypoints: [ODOO_EXECUTABLE],
        command: ["-c", ODOO_CONF_PATH],
        // ODOO_RC makes `docker exec … odoo shell` read the same file. The other variables are facts for
        // people and policies; odoo.conf (a secret: it holds passwords) is what Odoo reads.
        envs: [`ODOO_RC=${ODOO_CONF_PATH}`, `ODOOOPS_STAGE=${args.conf.stage}`, `ODOOOPS_SMTP=${smtp}`],
        labels: [
          { label: "odooops.stage", value: args.conf.stage },
          { label: "odooops.smtp", value: smtp },
        ],
        networksAdvanced: [{ name: host.network.name }],
        volumes: [{ hostPath: filestorePath(args.slug), containerPath: "/var/lib/odoo" }],
        uploads: [{ file: ODOO_CONF_PATH, content: conf }],
      },
      { ...onHost, dependsOn: [host.ready, ...deps.after], deleteBeforeReplace: true },
    );
    this.registerOutputs({});
  }
}
