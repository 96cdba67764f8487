import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import type { DataStage } from "../../model/data/data-safety.ts";
import { markDatabase } from "../mark.ts";
import { readDatabaseUrl } from "../pg/connection.ts";
import { action, type OutputOptions, printResult, stageOption, withOutputOptions } from "./common.ts";

interface MarkCli extends OutputOptions {
  dbUrlEnv: string;
  stage: DataStage;
  forkOfProduction: boolean;
}

export function registerMark(agent: Command, context: CommandContext): void {
  const command = agent
    .command("mark")
    .description(
      "Write a database's odooops.stage marker: production when it is provisioned, the copy's stage for a fork",
    )
    .option("--db-url-env <var>", "variable holding the database URL", "ODOOOPS_DB_URL")
    .addOption(stageOption("--stage <stage>", "the stage to write").makeOptionMandatory())
    .option(
      "--fork-of-production",
      "the database is a new cluster restored from production's backup; replaces its production marker",
      false,
    );
  withOutputOptions(command).action(
    action(context, "mark", async (options: MarkCli) => {
      const result = await markDatabase(readDatabaseUrl(options.dbUrlEnv), options);
      printResult(
        context,
        options,
        result,
        `marked ${result.database} as ${result.stage} (was ${result.previous ?? "unmarked"})`,
      );
    }),
  );
}
