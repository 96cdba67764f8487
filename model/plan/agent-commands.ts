import type { DataStage } from "../data/data-safety.ts";
import { shellLine, shellQuote } from "../shell.ts";
import type { Stage } from "../stages.ts";
import { databaseFilestore, FILESTORE_MOUNT, MAILPIT_SMTP_PORT, ODOO_UID } from "./host-layout.ts";
import { demoFlags } from "./odoo-config.ts";
import { odooNeutralizeLine, oneShotOdoo } from "./odoo-run.ts";

/**
 * Every command line the platform runs on a host, built in one place. Hosts carry two wrappers
 * installed by cloud-init: `odooops-exec` runs a program inside the agent container, passing the
 * caller's ODOOOPS_*, PG* and AWS_* variables by name; `odooops` is `odooops-exec odooops`.
 * Secrets (database URLs, passwords, storage keys) travel only in environment variables, never in argv.
 */
export const AGENT_ENV = {
  /** Connection of the database being prepared, as the environment's own role. */
  dbUrl: "ODOOOPS_DB_URL",
  /** The cluster's admin role, for creating databases and handing them to the environment's role. */
  adminUser: "ODOOOPS_ADMIN_USER",
  adminPassword: "ODOOOPS_ADMIN_PASSWORD",
  /** Production's backups, `s3://bucket/prefix/`: a `dump` clone's source, a `fork`'s filestore. */
  cloneSource: "ODOOOPS_CLONE_SOURCE_URL",
} as const;

/**
 * What a long-lived agent container holds about its environment's data. Only production's agent is
 * given these (components/environment-data.ts): staging and preview agents get theirs per remote
 * command, from Pulumi, for the duration of that command.
 */
export const AGENT_DATA_ENV = {
  dbUrl: AGENT_ENV.dbUrl,
  /** Where the environment's own backups are, `s3://bucket/prefix/`. */
  backupUrl: "ODOOOPS_BACKUP_URL",
  /** The database's filestore directory on the host's volume. */
  filestoreDir: "ODOOOPS_FILESTORE_DIR",
} as const;

/** Stages whose agent container holds AGENT_DATA_ENV, so that work on the live database can run in it. */
export const AGENT_DATA_ENV_STAGES: readonly Stage[] = ["production"];

export { shellQuote };

const line = shellLine;

function script(lines: readonly string[]): string {
  return ["set -eu", ...lines].join("\n");
}

/** PostgreSQL identifiers in SQL run through psql; names come from model/naming (a-z, 0-9, _). */
function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * psql as the cluster's admin role, one statement per `-c` (CREATE DATABASE refuses to run inside the
 * transaction a multi-statement `-c` opens). The admin credentials are assigned from ODOOOPS_ADMIN_*
 * inside the container, so they never appear on a command line.
 */
function adminPsql(...statements: string[]): string {
  const run = 'PGUSER="$ODOOOPS_ADMIN_USER" PGPASSWORD="$ODOOOPS_ADMIN_PASSWORD" exec psql "$@"';
  const args = [
    "-v",
    "ON_ERROR_STOP=1",
    "-qAt",
    "-d",
    ADMIN_DATABASE,
    ...statements.flatMap((s) => ["-c", s]),
  ];
  return line("odooops-exec", "sh", "-c", run, "psql", ...args);
}

/** The maintenance database every DigitalOcean PostgreSQL cluster has. */
export const ADMIN_DATABASE = "defaultdb";

/** Waits until cloud-init has finished, the filestore volume is mounted and Docker answers. */
export function hostReadyCommand(): string {
  return script([
    "cloud-init status --wait >/dev/null",
    `until mountpoint -q ${FILESTORE_MOUNT}; do mount ${FILESTORE_MOUNT} 2>/dev/null || sleep 2; done`,
    "until docker info >/dev/null 2>&1; do sleep 2; done",
  ]);
}

export interface FreshDatabase {
  database: string;
  owner: string;
}

/**
 * Creates a staging build's database. CREATE fails when the name exists, so a database is never
 * reused across builds; the name carries the build id.
 */
export function createFreshDatabaseCommand(db: FreshDatabase): string {
  return script([
    adminPsql(
      // Setting another role as owner needs membership of it (PostgreSQL 15).
      `GRANT ${ident(db.owner)} TO CURRENT_USER`,
      `CREATE DATABASE ${ident(db.database)} OWNER ${ident(db.owner)}`,
    ),
  ]);
}

/** Runs when the previous build's command is replaced: its database goes, connections and all. */
export function dropDatabaseCommand(database: string): string {
  return script([adminPsql(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`)]);
}

/** The environment's filestore directory on the host's volume, owned by Odoo's user. */
function filestoreLine(path: string): string {
  return line("install", "-d", "-o", String(ODOO_UID), "-g", String(ODOO_UID), "-m", "0750", path);
}

export interface PrepareStep {
  /** The environment's filestore directory on the host. */
  filestore: string;
  strategy: "fork" | "dump";
  targetDb: string;
  neutralize: boolean;
  /** Masking profile, or "none". */
  mask: string;
  baseUrl: string;
  mailpitHost: string;
  /** The environment's Odoo image: when known, Odoo's own neutralize runs too (odooNeutralizeLine). */
  odooImage?: string;
}

/** Writes the database's odooops.stage marker (model/data/data-safety.ts). */
function markLine(stage: DataStage, ...flags: string[]): string {
  return line("odooops", "agent", "mark", "--db-url-env", AGENT_ENV.dbUrl, "--stage", stage, ...flags);
}

/**
 * The agent line that fills a build's filestore from production's backup, then the chown that hands it
 * to Odoo's user: the agent writes as root, Odoo adds attachments there as its own user.
 */
function fillFilestoreLines(dir: string, ...agentWords: string[]): string[] {
  return [
    line("odooops", "agent", ...agentWords, "--filestore-dir", dir),
    line("chown", "-R", `${ODOO_UID}:${ODOO_UID}`, dir),
  ];
}

/**
 * Prepares a staging copy of production before its Odoo starts: fill it (dump: the agent's clone from
 * production's newest backup, database and filestore, marked staging; fork: the cluster was restored
 * from production's backup already and still carries production's marker, which is replaced, and the
 * filestore, which a cluster backup does not hold, comes from production's newest backup); a dump is
 * masked and neutralized by the clone itself, a fork is then neutralized, then masked in place.
 */
export function prepareStagingCommand(step: PrepareStep): string {
  const lines: string[] = [filestoreLine(step.filestore)];
  const filestore = databaseFilestore(step.filestore, step.targetDb);
  if (step.strategy === "fork")
    lines.push(
      markLine("staging", "--fork-of-production"),
      // A fork keeps production's database name, so the previous build's files are at the same path.
      ...fillFilestoreLines(filestore, "filestore", "--source-url-env", AGENT_ENV.cloneSource, "--replace"),
    );
  const catcher = ["--base-url", step.baseUrl, "--mailpit-host", step.mailpitHost];
  const neutralizeWords = [...catcher, "--mailpit-port", String(MAILPIT_SMTP_PORT)];
  const agentOnDb = (command: string, ...words: string[]) =>
    line("odooops", "agent", command, "--db-url-env", AGENT_ENV.dbUrl, ...words);
  const platformNeutralize = agentOnDb("neutralize", ...neutralizeWords);
  const odooNeutralize =
    step.neutralize && step.odooImage
      ? [odooNeutralizeLine(step.odooImage, step.targetDb), platformNeutralize]
      : [];
  // A dump is masked while it streams and neutralized before the copy is handed over: the agent
  // refuses a staging clone without both, so a project that turned either off gets a failed build,
  // never a live, unmasked copy.
  if (step.strategy === "dump")
    return script([
      ...lines,
      ...fillFilestoreLines(
        filestore,
        "clone",
        "--source-url-env",
        AGENT_ENV.cloneSource,
        "--target-db",
        step.targetDb,
        "--stage",
        "staging",
        ...(step.neutralize ? ["--neutralize", ...neutralizeWords] : []),
        ...(step.mask !== "none" ? ["--mask", step.mask] : []),
      ),
      ...odooNeutralize,
    ]);
  if (step.neutralize) lines.push(...(step.odooImage ? odooNeutralize : [platformNeutralize]));
  if (step.mask !== "none") lines.push(agentOnDb("mask", "--profile", step.mask));
  return script(lines);
}

export interface InitStep {
  filestore: string;
  database: string;
  owner: string;
  image: string;
  odooVersion: string;
  modules: readonly string[];
  demo: boolean;
  /** Written as the database's odooops.stage marker once Odoo has created its tables. */
  stage: DataStage;
}

/**
 * Initialises a new, empty database once: hands it to the environment's role, then lets the
 * environment's own image install the modules, with the environment's odoo.conf (model/plan/odoo-run.ts). A database that already holds Odoo is left alone, so
 * re-running (a new host, a lost state) never touches data.
 */
export function initDatabaseCommand(step: InitStep): string {
  const odoo = oneShotOdoo({
    image: step.image,
    dataDir: step.filestore,
    args: [
      "-d",
      step.database,
      "-i",
      step.modules.join(","),
      ...demoFlags(step.odooVersion, step.demo),
      "--stop-after-init",
      "--no-http",
    ],
  });
  const initialised = `select to_regclass('public.ir_module_module') is not null`;
  return script([
    filestoreLine(step.filestore),
    adminPsql(
      `GRANT ${ident(step.owner)} TO CURRENT_USER`,
      `ALTER DATABASE ${ident(step.database)} OWNER TO ${ident(step.owner)}`,
    ),
    `if [ "$(${line("odooops-exec", "psql", "-qAt", "-c", initialised)})" != t ]; then`,
    // A failed install (or an engine that does not answer) ends in one line naming what and where, and
    // the deploy stops: Odoo's container depends on this step.
    `  ${odoo} || { echo ${shellQuote(`database init of ${step.database} with ${step.image} failed: no Odoo was started on it`)} >&2; exit 1; }`,
    `  ${markLine(step.stage)}`,
    "fi",
  ]);
}

export interface AgentSchedule {
  backupCron: string;
  drillCron: string;
  retention: { daily: number; weekly: number; monthly: number };
}

/** The agent container's command: production runs the backup and drill schedule, other hosts idle. */
export function agentContainerCommand(schedule: AgentSchedule | undefined): string[] {
  if (!schedule) return ["odooops", "agent", "serve"];
  return [
    "odooops",
    "agent",
    "serve",
    "--backup-cron",
    schedule.backupCron,
    "--drill-cron",
    schedule.drillCron,
    "--keep-daily",
    String(schedule.retention.daily),
    "--keep-weekly",
    String(schedule.retention.weekly),
    "--keep-monthly",
    String(schedule.retention.monthly),
  ];
}
