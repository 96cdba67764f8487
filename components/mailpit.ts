import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { MAILPIT_SMTP_PORT, MAILPIT_WEBROOT, mailpitContainer } from "../model/plan/host-layout.ts";
import type { Host } from "./host.ts";

export interface MailpitArgs {
  slug: string;
  image: string;
}

/**
 * The environment's mail catcher: Odoo's SMTP points here, so no mail leaves a non-production
 * environment. Its UI is served by the host's proxy under the environment's own host name.
 */
export class Mailpit extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly smtp: { server: string; port: number };
  /** bcrypt hash of the UI password, for the proxy's basic auth; the password itself stays a secret. */
  readonly uiPasswordHash: pulumi.Output<string>;
  readonly uiPassword: pulumi.Output<string>;

  constructor(name: string, args: MailpitArgs, deps: { host: Host }, opts?: pulumi.ComponentResourceOptions) {
    super("odooops:mailpit:Mailpit", name, args, opts);
    const { host } = deps;
    const password = new random.RandomPassword(
      `${name}-ui-password`,
      { length: 24, special: false },
      { parent: this },
    );
    this.uiPassword = password.result;
    this.uiPasswordHash = password.bcryptHash;
    const onHost = { parent: this, provider: host.docker, dependsOn: [host.ready] };
    const image = new docker.RemoteImage(`${name}-image`, { name: args.image, keepLocally: true }, onHost);
    this.smtp = { server: mailpitContainer(args.slug), port: MAILPIT_SMTP_PORT };
    this.container = new docker.Container(
      `${name}-container`,
      {
        name: this.smtp.server,
        image: image.repoDigest,
        restart: "unless-stopped",
        envs: [
          `MP_WEBROOT=${MAILPIT_WEBROOT}`,
          "MP_MAX_MESSAGES=5000",
          // Odoo may present any credentials; none of them matter to a catcher that delivers nothing.
          "MP_SMTP_AUTH_ACCEPT_ANY=true",
          "MP_SMTP_AUTH_ALLOW_INSECURE=true",
        ],
        networksAdvanced: [{ name: host.network.name }],
      },
      { ...onHost, deleteBeforeReplace: true },
    );
    this.registerOutputs({ smtpServer: this.smtp.server });
  }
}
