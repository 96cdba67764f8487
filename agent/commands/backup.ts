import { readFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import {
  BACKUP_KINDS,
  type BackupKind,
  buildFactsSchema,
  type DumpFacts,
} from "../../model/data/backup-record.ts";
import { buildLine, recentLogs } from "../../model/plan/backup-logs.ts";
import {
  type BackupResult,
  backupDatabase,
  DEFAULT_COMPRESSION_LEVEL,
  failedBackupEvidence,
} from "../backup.ts";
import { AgentInputError } from "../errors.ts";
import { readDatabaseUrl } from "../pg/connection.ts";
import { formatBytes } from "../progress.ts";
import {
  action,
  backupLocation,
  envDefault,
  type OutputOptions,
  printResult,
  reporter,
  withOutputOptions,
  writeEvidence,
} from "./common.ts";
import {
  type ControlPlaneCli,
  evidenceSink,
  outcomeLine,
  reportOutcome,
  withControlPlaneOptions,
} from "./evidence.ts";
import { took } from "./summaries.ts";

interface BackupCli extends OutputOptions, ControlPlaneCli {
  dbUrlEnv: string;
  location?: string;
  kind: BackupKind;
  preDeploy: boolean;
  release?: string;
  filestoreDir?: string;
  evidenceFile?: string;
  compressionLevel: string;
  image?: string;
  commit?: string;
  buildId?: string;
  logs?: string;
}

/** The build running when the backup is taken and the environment's recent logs, for odooops.json. */
async function backupOrigin(o: BackupCli): Promise<Pick<DumpFacts, "build" | "logs">> {
  const build = buildFactsSchema.safeParse({
    image: o.image ?? envDefault("ODOOOPS_IMAGE"),
    commit: o.commit ?? envDefault("ODOOOPS_COMMIT"),
    buildId: o.buildId ?? envDefault("ODOOOPS_BUILD_ID"),
  });
  if (!build.success)
    throw new AgentInputError(
      `--${build.error.issues[0]?.path.join(".") ?? "build"}: ${build.error.issues[0]?.message}`,
    );
  const logsFile = o.logs ?? envDefault("ODOOOPS_LOG_FILE");
  const logs = logsFile
    ? recentLogs(
        await readFile(logsFile, "utf8").catch((error: Error) => {
          throw new AgentInputError(`--logs ${logsFile}: ${error.message}`);
        }),
        logsFile,
      )
    : undefined;
  const present = Object.values(build.data).some((v) => v !== undefined);
  return { ...(present ? { build: build.data } : {}), ...(logs ? { logs } : {}) };
}

export function registerBackup(agent: Command, context: CommandContext): void {
  const command = agent
    .command("backup")
    .description(
      "Back up a database and its filestore as an Odoo database-manager zip to S3-compatible storage or a directory",
    )
    .option("--db-url-env <var>", "variable holding the database URL", "ODOOOPS_DB_URL")
    .option("--location <location>", "s3://bucket/prefix/ or a directory (default: ODOOOPS_BACKUP_URL)")
    .addOption(
      new Option("--kind <kind>", "why the backup is taken").choices([...BACKUP_KINDS]).default("manual"),
    )
    .option("--pre-deploy", "a backup taken right before a deployment (same as --kind pre-deploy)", false)
    .option("--release <id>", "the release or build a pre-deploy backup belongs to")
    .option("--filestore-dir <dir>", "the database's filestore directory (default: ODOOOPS_FILESTORE_DIR)")
    .option("--project <name>", "project name for the evidence (default: ODOOOPS_PROJECT)")
    .option(
      "--compression-level <0-9>",
      "zlib level of dump.sql in the zip",
      String(DEFAULT_COMPRESSION_LEVEL),
    )
    .option("--evidence-file <file>", "also write the evidence record (JSON) to this file")
    .option("--image <ref>", "the image running the environment (default: ODOOOPS_IMAGE)")
    .option("--commit <sha>", "the app commit it was built from (default: ODOOOPS_COMMIT)")
    .option("--build-id <id>", "the build id in the control plane (default: ODOOOPS_BUILD_ID)")
    .option(
      "--logs <file>",
      "the environment's log; its last 500 lines are kept, tokens redacted (default: ODOOOPS_LOG_FILE)",
    );
  withControlPlaneOptions(command, { branch: true });
  withOutputOptions(command).action(
    action(context, "backup", async (options: BackupCli) => {
      const kind: BackupKind = options.preDeploy ? "pre-deploy" : options.kind;
      if (options.release && kind !== "pre-deploy")
        throw new AgentInputError("--release only applies to a pre-deploy backup");
      const project = options.project ?? envDefault("ODOOOPS_PROJECT");
      const compressionLevel = Number(options.compressionLevel);
      if (!Number.isInteger(compressionLevel) || compressionLevel < 0 || compressionLevel > 9)
        throw new AgentInputError("--compression-level must be a whole number from 0 to 9");
      // Opened first: a control plane that is misconfigured is a mistake to fix before backing up.
      const sink = evidenceSink(options, true);
      try {
        const attempt = {
          db: readDatabaseUrl(options.dbUrlEnv),
          location: backupLocation(options.location),
          kind,
          ...(project ? { project } : {}),
        };
        const started = new Date();
        let result: BackupResult;
        try {
          result = await backupDatabase({
            ...attempt,
            ...(options.release ? { release: options.release } : {}),
            filestoreDir: options.filestoreDir ?? envDefault("ODOOOPS_FILESTORE_DIR"),
            compressionLevel,
            origin: await backupOrigin(options),
            reporter: reporter(context, options),
          });
        } catch (error) {
          // A wrong command line changed nothing and is no backup attempt; any other failure is one, on record.
          if (error instanceof AgentInputError) throw error;
          const evidence = failedBackupEvidence(attempt, started, error);
          await writeEvidence(options.evidenceFile, evidence);
          const controlPlane = await sink.record(evidence);
          printResult(
            context,
            options,
            { evidence, controlPlane },
            [`backup of ${evidence.database} FAILED, nothing was stored`, outcomeLine(controlPlane)].join(
              "\n",
            ),
          );
          reportOutcome(context, "backup", controlPlane, options.evidenceFile);
          throw error;
        }
        await writeEvidence(options.evidenceFile, result.evidence);
        const { record, evidence } = result;
        const controlPlane = await sink.record(evidence);
        printResult(
          context,
          options,
          { record, evidence, controlPlane },
          [
            `backed up ${record.database} to ${evidence.location}${record.name}.zip (${record.kind}): ${formatBytes(record.zip.bytes)} in ${took(evidence.durationMs)}`,
            `sha256 ${record.zip.sha256}; ${Object.keys(record.facts.tables).length} tables, ${record.modules} modules, filestore ${record.facts.filestore.files} files`,
            buildLine(record.facts),
            outcomeLine(controlPlane),
          ].join("\n"),
        );
        reportOutcome(context, "backup", controlPlane, options.evidenceFile);
      } finally {
        await sink.close();
      }
    }),
  );
}
