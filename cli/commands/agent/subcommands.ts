import type { Command } from "commander";
import { registerBackup } from "../../../agent/commands/backup.ts";
import { registerClone } from "../../../agent/commands/clone.ts";
import { registerDrill } from "../../../agent/commands/drill.ts";
import { registerEvidence } from "../../../agent/commands/evidence-record.ts";
import { registerFilestore } from "../../../agent/commands/filestore.ts";
import { registerMark } from "../../../agent/commands/mark.ts";
import { registerMask } from "../../../agent/commands/mask.ts";
import { registerNeutralize } from "../../../agent/commands/neutralize.ts";
import { registerPrune } from "../../../agent/commands/prune.ts";
import { registerAgentRestore } from "../../../agent/commands/restore.ts";
import { registerServe } from "../../../agent/commands/serve.ts";
import { registerSmoke } from "../../../agent/commands/smoke.ts";
import { registerWarehouse } from "../../../agent/commands/warehouse.ts";
import type { CommandContext } from "../../context.ts";

/** Adds every `odooops agent …` subcommand; loaded only when the agent command runs (see agent.ts). */
export function registerAgentCommands(agent: Command, context: CommandContext): void {
  registerClone(agent, context);
  registerFilestore(agent, context);
  registerNeutralize(agent, context);
  registerMask(agent, context);
  registerMark(agent, context);
  registerBackup(agent, context);
  registerAgentRestore(agent, context);
  registerPrune(agent, context);
  registerDrill(agent, context);
  registerServe(agent, context);
  registerEvidence(agent, context);
  registerSmoke(agent, context);
  registerWarehouse(agent, context);
}
