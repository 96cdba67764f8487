import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import type { FirewallPlan } from "../model/plan/firewall-rules.ts";
import { firewallTag } from "../model/plan/tags.ts";
import type { Stage } from "../model/stages.ts";

export interface StageFirewallArgs {
  project: string;
  stage: Stage;
  /** CIDRs from the project file allowed to reach the hosts on port 22. */
  sshSources: string[];
  /** CIDRs the deployer connects from; also admitted on port 22. */
  deploySources: string[];
  smtpEgress: "blocked" | "allowed";
  rules: FirewallPlan;
}

/**
 * The cloud firewall of one stage of a project. It selects its hosts by tag, so hosts of the stage
 * (dedicated or shared) are covered from the moment they exist; its facts are its inputs for policies.
 */
export class StageFirewall extends pulumi.ComponentResource {
  readonly firewall: digitalocean.Firewall;

  constructor(name: string, args: StageFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super("odooops:network:StageFirewall", name, args, opts);
    this.firewall = new digitalocean.Firewall(
      `${name}-firewall`,
      {
        name: `odooops-${args.project}-${args.stage}`,
        tags: [firewallTag(args.project, args.stage)],
        inboundRules: args.rules.inbound.map((r) => ({
          protocol: r.protocol,
          portRange: r.portRange,
          sourceAddresses: r.addresses,
        })),
        outboundRules: args.rules.outbound.map((r) => ({
          protocol: r.protocol,
          portRange: r.portRange,
          destinationAddresses: r.addresses,
        })),
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

export interface ProjectNetworkArgs {
  project: string;
  region: string;
  /** "production" or "staging": each stack has its own VPC and DigitalOcean project. */
  role: "production" | "staging";
  firewalls: Omit<StageFirewallArgs, "project">[];
  /** Production's network outlives any property change: moving it is a migration, not an update. */
  protect: boolean;
}

/** A project's network in one stack: its VPC, its DigitalOcean project grouping and stage firewalls. */
export class ProjectNetwork extends pulumi.ComponentResource {
  readonly vpc: digitalocean.Vpc;
  readonly doProject: digitalocean.Project;

  constructor(name: string, args: ProjectNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("odooops:network:ProjectNetwork", name, args, opts);
    // No ipRange: DigitalOcean picks one that overlaps no other VPC of the account in the region.
    this.vpc = new digitalocean.Vpc(
      `${name}-vpc`,
      {
        name: `odooops-${args.project}-${args.role}`,
        region: args.region,
        description: `odooops ${args.project} (${args.role})`,
      },
      { parent: this, protect: args.protect, ignoreChanges: args.protect ? ["region", "ipRange"] : [] },
    );
    this.doProject = new digitalocean.Project(
      `${name}-project`,
      {
        name: `odooops-${args.project}-${args.role}`,
        description: `Odoo project ${args.project}, ${args.role} stack`,
        purpose: "Web Application",
        environment: args.role === "production" ? "Production" : "Staging",
      },
      { parent: this },
    );
    for (const firewall of args.firewalls)
      new StageFirewall(
        `${name}-${firewall.stage}`,
        { project: args.project, ...firewall },
        { parent: this },
      );
    this.registerOutputs({ vpcId: this.vpc.id });
  }
}
