import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DatabaseConnection } from "../model/database-env.ts";
import { filestorePath, ODOO_CONF_PATH, odooContainer } from "../model/host-layout.ts";
import { type OdooConfSpec, renderOdooConf } from "../model/odoo-config.ts";
import type { Host } from "./host.ts";

export interface OdooArgs {
  slug: string;
  /** The environment's image, pinned by digest. */
  image: string;
  conf: OdooConfSpec;
}

export interface OdooDeps {
  host: Host;
  connection: pulumi.Input<DatabaseConnection>;
  /** Steps that must finish before Odoo starts: database init, or clone → neutralize → mask. */
  after: pulumi.Resource[];
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
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, onHost);
    const conf = pulumi.all([deps.connection, admin.result]).apply(([c, adminPassword]) =>
      renderOdooConf(args.conf, {
        dbHost: c.host,
        dbPort: c.port,
        dbUser: c.user,
        dbPassword: c.password,
        dbName: c.database,
        adminPassword,
      }),
    );
    const smtp = args.conf.smtp ? `${args.conf.smtp.server}:${args.conf.smtp.port}` : "database mail servers";
    this.container = new docker.Container(
      `${name}-container`,
      {
        name: odooContainer(args.slug),
        image: image.repoDigest,
        restart: "unless-stopped",
        command: ["odoo", "-c", ODOO_CONF_PATH],
        // Facts for people and policies; odoo.conf (a secret: it holds passwords) is what Odoo reads.
        envs: [`ODOOOPS_STAGE=${args.conf.stage}`, `ODOOOPS_SMTP=${smtp}`],
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
