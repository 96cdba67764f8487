import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { neutralizeDatabase } from "../neutralize/neutralize.ts";
import { readDatabaseUrl } from "../pg/connection.ts";
import {
  action,
  addNeutralizeOptions,
  assumeStage,
  type NeutralizeCliOptions,
  neutralizeSettings,
  type OutputOptions,
  printResult,
  stageOption,
  withOutputOptions,
} from "./common.ts";
import { neutralizeLines } from "./summaries.ts";

interface NeutralizeCli extends OutputOptions, NeutralizeCliOptions {
  dbUrlEnv: string;
  assumeStage?: string;
}

export function registerNeutralize(agent: Command, context: CommandContext): void {
  const command = agent
    .command("neutralize")
    .description(
      "Neutralize a copy like `odoo neutralize`: mail to Mailpit, crons, payments, carriers, IAP, webhooks off",
    )
    .option("--db-url-env <var>", "variable holding the database URL", "ODOOOPS_DB_URL")
    .addOption(
      stageOption(
        "--assume-stage <stage>",
        "for a database without odooops.stage marker: its stage (written)",
      ),
    );
  addNeutralizeOptions(command);
  withOutputOptions(command).action(
    action(context, "neutralize", async (options: NeutralizeCli) => {
      const db = readDatabaseUrl(options.dbUrlEnv);
      const settings = neutralizeSettings(true, options)!;
      const result = await neutralizeDatabase(db, {
        ...settings,
        assumeStage: assumeStage(options.assumeStage),
      });
      printResult(
        context,
        options,
        result,
        [`neutralized ${result.database}`, ...neutralizeLines(result.steps)].join("\n"),
      );
    }),
  );
}
