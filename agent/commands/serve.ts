import { appendFile } from "node:fs/promises";
import type { Command } from "commander";
import { Cron } from "croner";
import type { CommandContext } from "../../cli/context.ts";
import { RETENTION_MINIMUM } from "../../model/data/retention.ts";
import { AgentInputError } from "../errors.ts";
import { readDatabaseUrl } from "../pg/connection.ts";
import { startServe } from "../serve.ts";
import { action, envDefault, type OutputOptions, reporter } from "./common.ts";
import { type ControlPlaneCli, evidenceSink, outcomeLine, withControlPlaneOptions } from "./evidence.ts";

interface ServeCli extends OutputOptions, ControlPlaneCli {
  dbUrlEnv: string;
  location?: string;
  backupCron?: string;
  drillCron?: string;
  keepDaily: string;
  keepWeekly: string;
  keepMonthly: string;
  filestoreDir?: string;
  evidenceLog?: string;
}

function cron(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    new Cron(value, { paused: true }).stop();
  } catch {
    throw new AgentInputError(`${flag} "${value}" is not a cron expression such as "0 2 * * *"`);
  }
  return value;
}

/** How long a stopping agent waits for evidence still on its way to the control plane. */
const FLUSH_TIMEOUT_MS = 10_000;

export function registerServe(agent: Command, context: CommandContext): void {
  const command = agent
    .command("serve")
    .description(
      "Stay resident on a host: scheduled backups with pruning and restore drills (production), or idle",
    )
    .option("--db-url-env <var>", "variable holding the database URL", "ODOOOPS_DB_URL")
    .option("--location <location>", "backup location (default: ODOOOPS_BACKUP_URL)")
    .option("--backup-cron <expr>", "when to back up (UTC)")
    .option("--drill-cron <expr>", "when to run the restore drill (UTC)")
    .option("--keep-daily <n>", "retention after each backup", String(RETENTION_MINIMUM.daily))
    .option("--keep-weekly <n>", "", String(RETENTION_MINIMUM.weekly))
    .option("--keep-monthly <n>", "", String(RETENTION_MINIMUM.monthly))
    .option("--filestore-dir <dir>", "the database's filestore directory (default: ODOOOPS_FILESTORE_DIR)")
    .option("--project <name>", "project name for the evidence (default: ODOOOPS_PROJECT)")
    .option("--evidence-log <file>", "also append each evidence record to this file (JSON lines)")
    .option("--quiet", "no progress lines", false);
  withControlPlaneOptions(command, { branch: true }).action(
    action(context, "serve", async (options: ServeCli) => {
      const backupCron = cron("--backup-cron", options.backupCron);
      const drillCron = cron("--drill-cron", options.drillCron);
      const scheduled = backupCron !== undefined || drillCron !== undefined;
      const location = options.location ?? envDefault("ODOOOPS_BACKUP_URL");
      if (scheduled && !location)
        throw new AgentInputError("scheduled backups need --location or ODOOOPS_BACKUP_URL");
      const log = reporter(context, options);
      // An idle agent records nothing, so only a scheduled one needs (and checks) a control plane.
      const sink = scheduled ? evidenceSink(options, backupCron !== undefined) : undefined;
      // Evidence reaches the control plane in order, but off the schedule: a control plane that is
      // slow or down delays nothing and loses nothing (each record is printed and logged first).
      let delivery = Promise.resolve();
      const handle = startServe({
        db: scheduled
          ? readDatabaseUrl(options.dbUrlEnv)
          : { url: "", envName: options.dbUrlEnv, id: { host: "", port: 0, database: "" } },
        location,
        backupCron,
        drillCron,
        policy: {
          daily: Number(options.keepDaily),
          weekly: Number(options.keepWeekly),
          monthly: Number(options.keepMonthly),
        },
        filestoreDir: options.filestoreDir ?? envDefault("ODOOOPS_FILESTORE_DIR"),
        project: options.project ?? envDefault("ODOOOPS_PROJECT"),
        reporter: log,
        onEvidence: async (evidence) => {
          const line = JSON.stringify(evidence);
          context.io.out(line);
          delivery = delivery
            .then(() => sink!.record(evidence))
            .then((outcome) => log.info(`${evidence.kind}: ${outcomeLine(outcome)}`));
          if (options.evidenceLog) await appendFile(options.evidenceLog, `${line}\n`);
        },
      });
      const destination = sink?.where
        ? `evidence is recorded in the control plane at ${sink.where}`
        : "control plane not configured, evidence is only printed (set SUPABASE_URL, SUPABASE_KEY and ODOOOPS_AGENT_KEY, or ODOOOPS_CONTROL_PLANE_URL)";
      context.io.err(
        scheduled
          ? `odooops agent serve: schedules started; ${destination}`
          : "odooops agent serve: no schedule; idling",
      );
      // Signal listeners do not keep Node's event loop alive, and an idle agent has no cron timer that
      // would: without this timer its await would be left unsettled and Node would exit 13 at once, which a
      // host's restart policy turns into a container restarting forever (killing every `docker exec` in it).
      const keepAlive = setInterval(() => undefined, 2 ** 30);
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve());
      });
      clearInterval(keepAlive);
      handle.stop();
      await Promise.race([delivery, new Promise((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS).unref())]);
      await sink?.close();
    }),
  );
}
