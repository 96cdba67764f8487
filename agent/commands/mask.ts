import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { maskInPlace } from "../mask/in-place.ts";
import { readDatabaseUrl } from "../pg/connection.ts";
import {
  action,
  addMaskOptions,
  assumeStage,
  type MaskCliOptions,
  maskSettings,
  type OutputOptions,
  printResult,
  reporter,
  stageOption,
  withOutputOptions,
} from "./common.ts";
import { stepLines } from "./summaries.ts";

interface MaskCli extends OutputOptions, MaskCliOptions {
  dbUrlEnv: string;
  profile: string;
  assumeStage?: string;
}

export function registerMask(agent: Command, context: CommandContext): void {
  const command = agent
    .command("mask")
    .description(
      "Mask personal data of a copy in place, then prove no source value is left in any text column",
    )
    .option("--db-url-env <var>", "variable holding the database URL", "ODOOOPS_DB_URL")
    .addOption(
      stageOption(
        "--assume-stage <stage>",
        "for a database without odooops.stage marker: its stage (written)",
      ),
    );
  addMaskOptions(command, "--profile <profile>");
  withOutputOptions(command).action(
    action(context, "mask", async (options: MaskCli) => {
      const db = readDatabaseUrl(options.dbUrlEnv);
      const settings = maskSettings(options.profile ?? "default", options)!;
      const result = await maskInPlace(db, {
        ...settings,
        assumeStage: assumeStage(options.assumeStage),
        reporter: reporter(context, options),
      });
      printResult(
        context,
        options,
        result,
        result.skipped
          ? `${result.database}: ${result.skipped}`
          : [
              `masked ${result.database} with profile ${settings.profile}`,
              ...stepLines(result.tables, result.scan, undefined, undefined),
            ].join("\n"),
      );
    }),
  );
}
