import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { RETENTION_MINIMUM, type RetentionPolicy } from "../../model/data/retention.ts";
import { loadProjects } from "../../model/input/loader.ts";
import { formatProblem } from "../../model/problem.ts";
import { AgentInputError } from "../errors.ts";
import { pruneBackups } from "../prune.ts";
import {
  action,
  backupLocation,
  type OutputOptions,
  printResult,
  reporter,
  withOutputOptions,
} from "./common.ts";

interface PruneCli extends OutputOptions {
  location?: string;
  database?: string;
  project?: string;
  keepLast?: string;
  keepDaily?: string;
  keepWeekly?: string;
  keepMonthly?: string;
  keepYearly?: string;
  dryRun: boolean;
  allowBelowMinimum: boolean;
}

function count(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new AgentInputError(`${flag} must be a whole number ≥ 0, not "${value}"`);
  return n;
}

/** The policy: flags first, then the project file's retention, then the production minimum. */
function policy(options: PruneCli): RetentionPolicy {
  let base: RetentionPolicy = { ...RETENTION_MINIMUM };
  if (options.project) {
    const loaded = loadProjects([options.project]);
    if (loaded.problems.length > 0) throw new AgentInputError(loaded.problems.map(formatProblem).join("\n"));
    base = { ...loaded.projects[0]!.project.retention };
  }
  return {
    last: count("--keep-last", options.keepLast) ?? 0,
    daily: count("--keep-daily", options.keepDaily) ?? base.daily,
    weekly: count("--keep-weekly", options.keepWeekly) ?? base.weekly,
    monthly: count("--keep-monthly", options.keepMonthly) ?? base.monthly,
    yearly: count("--keep-yearly", options.keepYearly) ?? 0,
  };
}

export function registerPrune(agent: Command, context: CommandContext): void {
  const command = agent
    .command("prune")
    .description(
      "Forget old backups by grandfather-father-son retention (restic's --keep-* semantics, UTC, ISO weeks)",
    )
    .option("--location <location>", "s3://bucket/prefix/ or a directory (default: ODOOOPS_BACKUP_URL)")
    .option("--database <name>", "only this database's backups")
    .option("--project <file>", "take the retention from this project file")
    .option("--keep-last <n>", "keep the n newest backups")
    .option(
      "--keep-daily <n>",
      `newest backup of each of the n newest days (default ${RETENTION_MINIMUM.daily})`,
    )
    .option("--keep-weekly <n>", `… of each of the n newest ISO weeks (default ${RETENTION_MINIMUM.weekly})`)
    .option("--keep-monthly <n>", `… of each of the n newest months (default ${RETENTION_MINIMUM.monthly})`)
    .option("--keep-yearly <n>", "… of each of the n newest years")
    .option("--dry-run", "only print what would be kept and forgotten, and why", false)
    .option("--allow-below-minimum", "accept a policy below 7 daily / 4 weekly / 3 monthly", false);
  withOutputOptions(command).action(
    action(context, "prune", async (options: PruneCli) => {
      const result = await pruneBackups({
        location: backupLocation(options.location),
        ...(options.database ? { database: options.database } : {}),
        policy: policy(options),
        dryRun: options.dryRun,
        allowBelowMinimum: options.allowBelowMinimum,
        reporter: reporter(context, options),
      });
      const forgotten = result.decisions.filter((d) => d.action === "forget").length;
      printResult(
        context,
        options,
        result,
        [
          ...result.decisions.map(
            (d) => `${d.action === "keep" ? "keep  " : "forget"} ${d.name}  ${d.reasons.join("; ")}`,
          ),
          `${result.decisions.length - forgotten} kept, ${forgotten} ${result.dryRun ? "would be forgotten (dry run)" : `forgotten (${result.deletedObjects} objects deleted)`}`,
        ].join("\n"),
      );
    }),
  );
}
