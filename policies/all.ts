import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { accessPolicies } from "./access.ts";
import { costPolicies } from "./cost.ts";
import { dataProtectionPolicies } from "./data-protection.ts";
import { environmentSafetyPolicies } from "./environment-safety.ts";
import { identityPolicies } from "./identity.ts";
import { modulesPolicies } from "./modules.ts";
import { odooServerPolicies } from "./odoo-server.ts";
import { releaseGatePolicies } from "./release-gates.ts";
import { servicesPolicies } from "./services.ts";
import { supplyChainPolicies } from "./supply-chain.ts";

/**
 * Every policy of the odooops pack, as plain objects. policies/index.ts serves them to the Pulumi CLI;
 * the offline plan (cli/commands/plan/evaluate.ts) and the tests call the very same objects.
 */
export const POLICY_PACK_NAME = "odooops";

/** Policies name their own level; anything that does not is only advice. */
export const PACK_ENFORCEMENT: EnforcementLevel = "advisory";

export const PACK_DESCRIPTION =
  "Environment safety, data protection, access, supply chain, release gates and cost rules for odooops";

export const ALL_POLICIES: Policies = [
  ...environmentSafetyPolicies,
  ...odooServerPolicies,
  ...dataProtectionPolicies,
  ...accessPolicies,
  ...supplyChainPolicies,
  ...releaseGatePolicies,
  ...costPolicies,
  ...identityPolicies,
  ...servicesPolicies,
  ...modulesPolicies,
];
