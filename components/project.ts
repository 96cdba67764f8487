import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentPlan, HostPlan } from "../model/environment-plan.ts";
import type { Project as ProjectSpec } from "../model/schema/project.ts";
import { Environment } from "./environment.ts";

export interface ProjectArgs {
  project: ProjectSpec;
  /** The project file, so policy messages can point at it. */
  file: string;
  region: string;
  platformDomain: string;
  environments: EnvironmentPlan[];
  sharedDevHost: HostPlan | undefined;
}

/** Everything odooops runs for one Odoo project in this stack. */
export class Project extends pulumi.ComponentResource {
  readonly environments: Environment[];

  constructor(name: string, args: ProjectArgs, opts?: pulumi.ComponentResourceOptions) {
    super("odooops:project:Project", name, args, opts);
    this.environments = args.environments.map(
      (plan) => new Environment(`${name}-${plan.slug}`, { plan }, { parent: this }),
    );
    this.registerOutputs({});
  }
}
