import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import type { DataStage } from "../../model/data/data-safety.ts";
import { buildLine, printable } from "../../model/plan/backup-logs.ts";
import { readDatabaseUrl, withDatabase } from "../pg/connection.ts";
import { formatBytes } from "../progress.ts";
import type { BackupSource } from "../restore/fetch.ts";
import { restoreDatabase } from "../restore/restore.ts";
import {
  action,
  addMaskOptions,
  addNeutralizeOptions,
  backupLocation,
  envDefault,
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

interface RestoreCli extends OutputOptions, MaskCliOptions, NeutralizeCliOptions {
  showLogs: boolean;
  file?: string;
  location?: string;
  backup?: string;
  ofDatabase?: string;
  dbUrlEnv: string;
  targetDb?: string;
  filestoreDir?: string;
  stage?: DataStage;
  mask?: string;
  neutralize: boolean;
  dropPrevious: boolean;
  forceDisconnect: boolean;
}

/** `odooops agent restore`: runs on the host, next to the database (registerRemoteRestore asks for it). */
export function registerAgentRestore(agent: Command, context: CommandContext): void {
  const command = agent
    .command("restore")
    .description(
      "Restore a backup (ours or any Odoo database-manager zip) into a new database and swap it in on success",
    )
    .option("--file <zip>", "an Odoo backup zip on disk")
    .option("--location <location>", "s3://bucket/prefix/ or a directory (default: ODOOOPS_BACKUP_URL)")
    .option(
      "--backup <name>",
      "which backup in the location, e.g. mydb/20260214T020000Z-scheduled (default: the newest)",
    )
    .option("--of-database <name>", "with the newest backup: of this database (default: the target's name)")
    .option("--db-url-env <var>", "variable holding the target database URL", "ODOOOPS_DB_URL")
    .option("--target-db <name>", "restore into this database instead of the URL's")
    .option("--filestore-dir <dir>", "the target's filestore directory (default: ODOOOPS_FILESTORE_DIR)")
    .addOption(
      stageOption(
        "--stage <stage>",
        "stage marker of the restored database (required with --neutralize/--mask)",
      ),
    )
    .option("--neutralize", "neutralize the restored copy (needs --base-url and --mailpit-host)", false)
    .option("--drop-previous", "drop the replaced database and filestore once the new one is in place", false)
    .option("--force-disconnect", "end sessions on the target (Odoo) when swapping", false)
    .option("--show-logs", "print the environment log lines the backup carries", false);
  addMaskOptions(command, "--mask <profile>");
  addNeutralizeOptions(command);
  withOutputOptions(command).action(
    action(context, "restore", async (options: RestoreCli) => {
      const target = readDatabaseUrl(options.dbUrlEnv);
      const db = options.targetDb
        ? {
            ...target,
            url: withDatabase(target.url, options.targetDb),
            id: { ...target.id, database: options.targetDb },
          }
        : target;
      const source: BackupSource = options.file
        ? { file: options.file }
        : {
            location: backupLocation(options.location),
            ...(options.backup
              ? { name: options.backup }
              : { database: options.ofDatabase ?? db.id.database }),
          };
      const result = await restoreDatabase({
        source,
        target: db,
        filestoreDir: options.filestoreDir ?? envDefault("ODOOOPS_FILESTORE_DIR"),
        stage: options.stage,
        mask: maskSettings(options.mask, options),
        neutralize: neutralizeSettings(options.neutralize, options),
        dropPrevious: options.dropPrevious,
        forceDisconnect: options.forceDisconnect,
        reporter: reporter(context, options),
      });
      printResult(
        context,
        options,
        result,
        [
          `restored ${result.backup} into ${result.database}: ${formatBytes(result.bytes)} in ${took(result.durationMs)} (verified by ${result.verifiedBy})`,
          buildLine(result.origin),
          ...(options.showLogs ? (result.origin.logs?.lines.map((l) => `  | ${printable(l)}`) ?? []) : []),
          ...(result.previous ? [`the replaced database is kept as ${result.previous}`] : []),
          ...stepLines(result.masked, result.scan, result.neutralized, result.filestore),
        ].join("\n"),
      );
    }),
  );
}
