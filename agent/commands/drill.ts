import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { drillBackup } from "../drill.ts";
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

interface DrillCli extends OutputOptions, ControlPlaneCli {
  location?: string;
  database?: string;
  dbUrlEnv: string;
  evidenceFile?: string;
}

export function registerDrill(agent: Command, context: CommandContext): void {
  const command = agent
    .command("drill")
    .description(
      "Restore drill: restore the newest backup into a scratch database, check it, drop it, record evidence",
    )
    .option("--location <location>", "s3://bucket/prefix/ or a directory (default: ODOOOPS_BACKUP_URL)")
    .option("--database <name>", "drill this database's backups (default: the database of --db-url-env)")
    .option(
      "--db-url-env <var>",
      "variable holding a database URL on the server that hosts the scratch database",
      "ODOOOPS_DB_URL",
    )
    .option("--project <name>", "project name for the evidence (default: ODOOOPS_PROJECT)")
    .option("--evidence-file <file>", "also write the evidence record (JSON) to this file");
  withControlPlaneOptions(command, { branch: false });
  withOutputOptions(command).action(
    action(context, "drill", async (options: DrillCli) => {
      const server = readDatabaseUrl(options.dbUrlEnv);
      const project = options.project ?? envDefault("ODOOOPS_PROJECT");
      const sink = evidenceSink(options, false);
      try {
        const evidence = await drillBackup({
          location: backupLocation(options.location),
          database: options.database ?? server.id.database,
          server,
          ...(project ? { project } : {}),
          reporter: reporter(context, options),
        });
        await writeEvidence(options.evidenceFile, evidence);
        const controlPlane = await sink.record(evidence);
        printResult(
          context,
          options,
          { evidence, controlPlane },
          [
            `restore drill ${evidence.result.toUpperCase()}: ${evidence.backup ?? "no backup"} (${formatBytes(evidence.sizeBytes)}) in ${took(evidence.durationMs)}`,
            ...evidence.checks.map((c) => `  ${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`),
            outcomeLine(controlPlane),
          ].join("\n"),
        );
        if (evidence.result !== "passed") context.exit.code = 1;
        reportOutcome(context, "drill", controlPlane, options.evidenceFile);
      } finally {
        await sink.close();
      }
    }),
  );
}
