import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentPlan } from "../model/plan/environment-plan.ts";
import { filestorePath, hostName } from "../model/plan/host-layout.ts";
import type { OdooOidcProvider } from "../model/plan/identity/odoo-provider.ts";
import type { OdooConfSpec } from "../model/plan/odoo-config.ts";
import { environmentLimits } from "../model/plan/odoo-sizing.ts";
import { PLATFORM_IMAGES } from "../model/plan/platform-images.ts";
import { type ProxySite, proxySite } from "../model/plan/proxy-config.ts";
import { expiryOf, hostTags } from "../model/plan/tags.ts";
import type { ProjectContext } from "./context.ts";
import { EnvironmentDns, platformRecords } from "./dns.ts";
import { developmentData, type EnvironmentData, productionData, stagingData } from "./environment-data.ts";
import { Host } from "./host.ts";
import { OdooSignIn } from "./identity/odoo-sign-in.ts";
import { Mailpit } from "./mailpit.ts";
import { ModuleUpdate } from "./module-update.ts";
import { Odoo, odooConf } from "./odoo.ts";
import { ReverseProxy } from "./proxy.ts";
import { SmokeTest } from "./smoke-test.ts";

export interface EnvironmentArgs {
  plan: EnvironmentPlan;
}

/** The ACME account address for certificate notices: the platform domain's hostmaster. */
export function acmeEmail(platformDomain: string): string {
  return `hostmaster@${platformDomain}`;
}

/**
 * One environment of a project: a production, staging build or development preview. Its inputs are the
 * environment plan, so policies see every fact the plan decided (stage, expiry, clone, mail settings);
 * its children materialize them: host (or a place on the shared dev host), database, Mailpit, Odoo, DNS.
 */
export class Environment extends pulumi.ComponentResource {
  readonly hostnames: pulumi.Output<string[]>;
  private readonly name: string;
  readonly host: Host;
  readonly odoo: Odoo;
  readonly mailpit: Mailpit | undefined;
  /** The proxy site this environment needs; the shared dev host's proxy serves all of them. */
  readonly site: ProxySite;
  readonly urns: pulumi.Output<string>[];
  /** What a later one-shot step on this environment's database needs (the sign-in record). */
  private readonly oneShot: {
    image: string;
    dataDir: string;
    database: pulumi.Output<string>;
    odooConf: pulumi.Output<string>;
    after: pulumi.Resource[];
  };

  constructor(
    name: string,
    args: EnvironmentArgs,
    context: ProjectContext,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("odooops:environment:Environment", name, { plan: args.plan }, opts);
    this.name = name;
    const { plan } = args;
    const dedicated = plan.host.placement === "dedicated";
    const shared = context.sharedHost;
    if (!dedicated && !shared)
      throw new Error(`${name}: placed on a shared dev host the project does not have`);
    this.host = dedicated
      ? new Host(
          `${name}-host`,
          {
            project: plan.project,
            stage: plan.stage,
            placement: "dedicated",
            dropletName: hostName(plan.project, plan.slug),
            region: context.region,
            size: plan.host.size,
            volumeGb: plan.host.volumeGb,
            tags: hostTags({
              project: plan.project,
              stage: plan.stage,
              branch: plan.slug,
              expires: expiryOf(plan),
            }),
            reservedIp: plan.stage === "production",
          },
          context.access,
          { parent: this },
        )
      : shared!.host;
    const host = this.host;
    this.mailpit =
      plan.stage !== "production" && plan.mail.catcher
        ? new Mailpit(
            `${name}-mailpit`,
            { slug: plan.slug, image: PLATFORM_IMAGES.mailpit },
            { host },
            { parent: this },
          )
        : undefined;

    const conf: OdooConfSpec = {
      stage: plan.stage,
      odooVersion: plan.odooVersion,
      limits: environmentLimits(plan),
      demo: plan.database.kind === "branch" && plan.database.demoData,
      smtp: this.mailpit?.smtp,
      options: context.project.odooOptions,
    };
    // Pulled once, through the host's Docker provider (which holds the project's registry credentials),
    // before anything runs it: database init and the module update run it with `docker run`, which then
    // finds it on the host by digest and never needs credentials of its own.
    const image = new docker.RemoteImage(
      `${name}-odoo-image`,
      { name: plan.image, keepLocally: true },
      {
        parent: this,
        provider: host.docker,
        dependsOn: [host.ready],
        // It used to be a child of the Odoo component: the same image, not a new pull.
        aliases: [{ parent: pulumi.createUrn(`${name}-odoo`, "odooops:odoo:Odoo", this) }],
      },
    );
    const scope = {
      name,
      plan,
      context,
      host,
      parent: this,
      mailpitHost: this.mailpit?.smtp.server,
      conf,
      image,
    };
    const data: EnvironmentData =
      plan.stage === "production"
        ? productionData(scope)
        : plan.stage === "staging"
          ? stagingData(scope)
          : developmentData(scope);

    const update = new ModuleUpdate(
      `${name}-update`,
      {
        step: {
          stage: plan.stage,
          slug: plan.slug,
          database: plan.database.name,
          image: plan.image,
          dataDir: filestorePath(plan.slug),
          release: plan.release?.id,
        },
        onCreate: plan.stage === "staging",
      },
      { host, odooConf: odooConf(conf, data.connection), after: [image, ...data.after] },
      { parent: this },
    );
    this.oneShot = {
      image: plan.image,
      dataDir: filestorePath(plan.slug),
      // A database name is no secret, though the connection it comes from is: the plan shows the step.
      database: pulumi.unsecret(data.connection.apply((c) => c.database)),
      odooConf: odooConf(conf, data.connection),
      after: [update.command],
    };
    this.odoo = new Odoo(
      `${name}-odoo`,
      { slug: plan.slug, image: plan.image, conf },
      { host, image, connection: data.connection, after: [...data.after, update.command] },
      { parent: this },
    );

    if (plan.stage === "staging" && plan.buildId)
      new SmokeTest(
        `${name}-smoke`,
        { step: { slug: plan.slug, image: plan.image, buildId: plan.buildId } },
        { host, connection: data.connection, after: [this.odoo.container, ...data.after] },
        { parent: this },
      );

    const dns = new EnvironmentDns(
      `${name}-dns`,
      {
        stage: plan.stage,
        platformDomain: context.platformDomain,
        records: platformRecords(plan.hostnames, context.platformDomain),
        customDomains: plan.stage === "production" ? context.project.domains : [],
      },
      { address: host.publicIp },
      { parent: this },
    );
    this.site = proxySite(plan);
    if (dedicated)
      new ReverseProxy(
        `${host.baseName}-proxy`,
        { sites: [this.site], acmeEmail: acmeEmail(context.platformDomain), image: PLATFORM_IMAGES.caddy },
        { host, mailpitPasswordHashes: this.mailpit ? { [plan.slug]: this.mailpit.uiPasswordHash } : {} },
        { parent: host },
      );
    this.urns = [...(dedicated ? host.urns : []), ...data.urns, ...dns.urns];
    this.hostnames = pulumi.output(plan.hostnames);
    this.registerOutputs({ hostnames: this.hostnames });
  }

  /** Writes the stack's Keycloak client into this environment's Odoo, once its modules are updated. */
  signIn(provider: OdooOidcProvider, clientSecret: pulumi.Output<string>): OdooSignIn {
    const { image, dataDir, database, odooConf: conf, after } = this.oneShot;
    return new OdooSignIn(
      `${this.name}-sign-in`,
      { step: { image, dataDir }, provider },
      { host: this.host, database, odooConf: conf, clientSecret, after },
      { parent: this },
    );
  }
}
