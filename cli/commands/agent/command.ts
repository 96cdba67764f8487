import type { Command } from "commander";
import type { CommandContext } from "../../context.ts";

/**
 * `odooops agent …`: the data agent that runs on environment hosts and in CI. Database URLs and storage
 * credentials are read from environment variables named on the command line, never from the line itself.
 * Its subcommands pull in storage, archive and masking code no other command needs (about 0.4 s of CPU
 * at start-up), so they are loaded just before `odooops agent …` is dispatched, help included.
 */
export function registerAgent(program: Command, context: CommandContext): void {
  const agent = program
    .command("agent")
    .description(
      "Data agent: clone, filestore, neutralize, mask, mark, backup, restore, prune, drill, serve, evidence",
    );
  program.hook("preSubcommand", async (_program, subcommand) => {
    if (subcommand !== agent || agent.commands.length > 0) return;
    const { registerAgentCommands } = await import("./subcommands.ts");
    registerAgentCommands(agent, context);
  });
}
