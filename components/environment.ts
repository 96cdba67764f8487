import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentPlan } from "../model/environment-plan.ts";

export interface EnvironmentArgs {
  plan: EnvironmentPlan;
}

/**
 * One environment of a project: a production, staging build or development preview. Its inputs are the
 * environment plan, so policies see every fact the plan decided (stage, expiry, clone, mail settings).
 */
export class Environment extends pulumi.ComponentResource {
  readonly hostnames: pulumi.Output<string[]>;

  constructor(name: string, args: EnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("odooops:environment:Environment", name, args, opts);
    this.hostnames = pulumi.output(args.plan.hostnames);
    this.registerOutputs({ hostnames: this.hostnames });
  }
}
