// The CrossGuard entry point: `pulumi preview --policy-pack policies` runs the compiled form of this file
// (bin/index.cjs, see PulumiPolicy.yaml). Constructing the pack starts the analyzer's gRPC server, so
// nothing else may import this module; the rules themselves live in ./all.ts.
import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES, PACK_DESCRIPTION, PACK_ENFORCEMENT, POLICY_PACK_NAME } from "./all.ts";

new PolicyPack(POLICY_PACK_NAME, {
  policies: ALL_POLICIES,
  enforcementLevel: PACK_ENFORCEMENT,
  description: PACK_DESCRIPTION,
});
