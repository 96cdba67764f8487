import { buildKeyBehaviour } from "./support/build-keys-suite.ts";
import { governanceBehaviour } from "./support/governance-suite.ts";
import { pgHarness } from "./support/harness.ts";
import { operationsBehaviour } from "./support/operations-suite.ts";

// The pg adapter: a direct connection acting as a member (`--as`) or as the service role.
governanceBehaviour("pg", pgHarness);
operationsBehaviour("pg", pgHarness);
buildKeyBehaviour("pg", pgHarness);
