import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { OcaPorts } from "../model/plan/upgrade/ports.ts";
import { OCA_PORTS } from "../model/plan/upgrade/ports.ts";
import { bundleModuleFindings, unverifiedBundleFindings } from "../model/rules/modules.ts";
import { forProject } from "./support/resources.ts";

/**
 * What a project asks Odoo to install exists for its Odoo version. The port data is read from OCA's
 * branches at a date; a module it shows missing more than a year after the version's release is
 * refused, one it cannot yet judge is advice to re-read the branches (model/plan/bundle-modules.ts).
 */
export function bundleModulesAvailablePolicy(ports: OcaPorts = OCA_PORTS): ResourceValidationPolicy {
  return {
    name: "bundle-modules-available",
    description:
      "Every OCA module of the project's bundles, and every OCA module they depend on, is ported to the project's Odoo version.",
    enforcementLevel: "mandatory",
    validateResource: forProject((facts) => bundleModuleFindings(facts.project, ports)),
  };
}

export function bundleModulesVerifiedPolicy(ports: OcaPorts = OCA_PORTS): ResourceValidationPolicy {
  return {
    name: "bundle-modules-verified",
    description:
      "The platform's OCA port data is recent enough to confirm every bundle module on the project's Odoo version.",
    enforcementLevel: "advisory",
    validateResource: forProject((facts) => unverifiedBundleFindings(facts.project, ports)),
  };
}

export const bundleModulesAvailable = bundleModulesAvailablePolicy();
export const bundleModulesVerified = bundleModulesVerifiedPolicy();

export const modulesPolicies = [bundleModulesAvailable, bundleModulesVerified];
