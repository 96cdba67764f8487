import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import type { DataStage } from "../../model/data/data-safety.ts";
import { type CloneSource, cloneDatabase } from "../clone.ts";
import { AgentInputError } from "../errors.ts";
import { type DatabaseUrl, readDatabaseUrl, withDatabase } from "../pg/connection.ts";
import { formatBytes } from "../progress.ts";
import {
  action,
  addMaskOptions,
  addNeutralizeOptions,
  envDefault,
  fromEnv,
  type MaskCliOptions,
  maskSettings,
  type NeutralizeCliOptions,
  neutralizeSettings,
  type OutputOptions,
  printResult,
  reporter,
  stageOption,
  withOutputOptions,
} from "./common.ts";
import { stepLines, took } from "./summaries.ts";

interface CloneCli extends OutputOptions, MaskCliOptions, NeutralizeCliOptions {
  sourceUrlEnv?: string;
  sourceFile?: string;
  sourceBackup?: string;
  targetDb: string;
  targetUrlEnv?: string;
  stage: DataStage;
  mask?: string;
  neutralize: boolean;
  filestoreDir?: string;
  sourceFilestoreDir?: string;
  jobs: string;
}

/** A live database (postgresql://…) or a backup location (s3://bucket/prefix/, a directory). */
function cloneSource(options: CloneCli): { source: CloneSource; db: DatabaseUrl | undefined } {
  if (options.sourceFile)
    return { source: { kind: "backup", backup: { file: options.sourceFile } }, db: undefined };
  if (!options.sourceUrlEnv)
    throw new AgentInputError("name the source with --source-url-env VAR or --source-file backup.zip");
  const value = fromEnv(
    options.sourceUrlEnv,
    "the source: a postgresql:// URL or a backup location such as s3://bucket/prefix/",
  );
  if (/^postgres(ql)?:\/\//.test(value)) {
    const db = readDatabaseUrl(options.sourceUrlEnv);
    return { source: { kind: "database", db }, db };
  }
  return {
    source: {
      kind: "backup",
      backup: { location: value, ...(options.sourceBackup ? { name: options.sourceBackup } : {}) },
    },
    db: undefined,
  };
}

export function registerClone(agent: Command, context: CommandContext): void {
  const command = agent
    .command("clone")
    .description(
      "Copy a database or a backup into a new (or empty) database; optionally masked in flight and neutralized",
    )
    .option(
      "--source-url-env <var>",
      "variable holding the source: postgresql:// URL or backup location (s3://bucket/prefix/)",
    )
    .option("--source-file <zip>", "an Odoo backup zip on disk as the source")
    .option("--source-backup <name>", "with a backup location: which backup (default: the newest)")
    .requiredOption("--target-db <name>", "the new database")
    .option(
      "--target-url-env <var>",
      "variable holding a URL of the target server (default: ODOOOPS_DB_URL, else the source's server)",
    )
    .addOption(
      stageOption("--stage <stage>", "stage of the copy, written as its odooops.stage marker").default(
        "staging",
      ),
    )
    .option("--neutralize", "neutralize the copy (needs --base-url and --mailpit-host)", false)
    .option("--filestore-dir <dir>", "the copy's filestore directory (filled from the backup's filestore)")
    .option(
      "--source-filestore-dir <dir>",
      "with a database source: its filestore, copied to --filestore-dir",
    )
    .option("--jobs <n>", "parallel pg_dump/pg_restore jobs for an unmasked copy of a live database", "1");
  addMaskOptions(command, "--mask <profile>");
  addNeutralizeOptions(command);
  withOutputOptions(command).action(
    action(context, "clone", async (options: CloneCli) => {
      const { source, db } = cloneSource(options);
      if (!/^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$/.test(options.targetDb))
        throw new AgentInputError(
          `--target-db "${options.targetDb}" is not a database name (letters, digits, _ and -)`,
        );
      const targetEnv = options.targetUrlEnv ?? (envDefault("ODOOOPS_DB_URL") ? "ODOOOPS_DB_URL" : undefined);
      const server = targetEnv ? readDatabaseUrl(targetEnv).url : db?.url;
      if (!server)
        throw new AgentInputError(
          "a backup source needs --target-url-env (or ODOOOPS_DB_URL) for the target server",
        );
      const jobs = Number(options.jobs);
      if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
        throw new AgentInputError("--jobs must be a whole number from 1 to 64");
      const result = await cloneDatabase({
        source,
        targetUrl: withDatabase(server, options.targetDb),
        stage: options.stage,
        mask: maskSettings(options.mask, options),
        neutralize: neutralizeSettings(options.neutralize, options),
        filestoreDir: options.filestoreDir,
        sourceFilestoreDir: options.sourceFilestoreDir,
        jobs,
        reporter: reporter(context, options),
      });
      printResult(
        context,
        options,
        result,
        [
          `cloned ${result.source} into ${result.target} (${result.stage}, ${result.safety}): ${formatBytes(result.bytes)} in ${took(result.durationMs)}`,
          ...stepLines(result.masked, result.scan, result.neutralized, result.filestore),
        ].join("\n"),
      );
    }),
  );
}
