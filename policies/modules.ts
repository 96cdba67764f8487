import type { ResourceValidationPolicy } from "@pulumi/policy";
import { bundleModuleFindings } from "../model/rules/modules.ts";
import { forProject } from "./support/resources.ts";

/** What a project asks Odoo to install exists for its Odoo version. */

export const bundleModulesAvailable: ResourceValidationPolicy = {
  name: "bundle-modules-available",
  description:
    "Every OCA module of the project's bundles, and every OCA module they depend on, is ported to the project's Odoo version.",
  enforcementLevel: "mandatory",
  validateResource: forProject((facts) => bundleModuleFindings(facts.project)),
};

export const modulesPolicies = [bundleModulesAvailable];
