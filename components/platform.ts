import * as pulumi from "@pulumi/pulumi";
import type { PlatformPlan } from "../model/environment-plan.ts";
import { Project } from "./project.ts";

/** The root of a stack: one Project component per project the stack owns. */
export class Platform extends pulumi.ComponentResource {
  readonly projects: Project[];

  constructor(name: string, plan: PlatformPlan, opts?: pulumi.ComponentResourceOptions) {
    // Only the stack-wide settings are this component's inputs; each project carries its own slice.
    super("odooops:platform:Platform", name, { settings: plan.settings }, opts);
    this.projects = plan.projects.map(
      (p) =>
        new Project(
          p.project.name,
          {
            project: p.project,
            file: p.file,
            region: p.region,
            platformDomain: plan.settings.platformDomain,
            environments: p.environments,
            sharedDevHost: p.sharedDevHost,
          },
          { parent: this },
        ),
    );
    this.registerOutputs({});
  }
}
