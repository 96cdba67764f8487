import { z } from "zod";
import { parseBackupName } from "../data/backup-record.ts";
import { DURATION_HINT, parseDuration } from "../duration.ts";
import { AGENT_DATA_ENV, AGENT_DATA_ENV_STAGES } from "./agent-commands.ts";
import type { EnvironmentPlan } from "./environment-plan.ts";
import {
  AGENT_CONTAINER,
  HOST_SSH_OPTIONS,
  HOST_SSH_USER,
  MAILPIT_SMTP_PORT,
  mailpitContainer,
  ODOO_CONF_PATH,
  odooContainer,
  PROXY_CONTAINER,
} from "./host-layout.ts";

/**
 * `odooops shell`, `odooops logs` and `odooops restore` as argv: ssh to the environment's host as the deployer does, then
 * docker on the host. Pure, so every stage's command is tested without a host; the CLI asks the control
 * plane for access first and only then runs what this returns. Nothing secret is on the command line:
 * the key comes from the caller's ssh-agent, database credentials from odoo.conf inside the container.
 */
export const LOG_SERVICES = ["odoo", "mailpit", "proxy", "agent"] as const;
export type LogService = (typeof LOG_SERVICES)[number];

/** What remote access needs to know of an environment: all of it decided by its plan. */
export type AccessEnvironment = Pick<EnvironmentPlan, "stage" | "slug" | "hostnames" | "database" | "mail">;

/** A backup as the agent names it, `<database>/<20260214T020000Z>-<kind>` (model/data/backup-record.ts). */
export const backupNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,63}\/[0-9]{8}T[0-9]{6}Z-[a-z-]+$/, {
    error: "must be a backup name such as acme_erp/20261123T020000Z-scheduled",
  })
  .refine((name) => parseBackupName(name) !== undefined, { error: "names no time or kind of backup" });

/** Previews have no masking profile of their own: a production-derived copy gets the default one. */
const PREVIEW_MASK = "default";

export interface LogOptions {
  service: LogService;
  follow: boolean;
  /** A docker `--since` value (see dockerSince). */
  since?: string | undefined;
  tail?: string | undefined;
}

const isoTime = z.iso.datetime({ offset: true });

/** `--since`: a duration as project files write them (30m, 6h, 2d, 1w) or an ISO 8601 time. */
export const sinceSchema = z.string().transform((text, ctx) => {
  const since = dockerSince(text) ?? (isoTime.safeParse(text).success ? text : undefined);
  if (since !== undefined) return since;
  ctx.addIssue({
    code: "custom",
    message: `must be ${DURATION_HINT}, or an ISO 8601 time such as 2026-11-23T08:00:00Z`,
  });
  return z.NEVER;
});

/** `--tail`: a number of lines, or all. */
export const tailSchema = z
  .string()
  .regex(/^(all|0|[1-9][0-9]{0,6})$/, { error: "must be a number of lines (e.g. 200) or all" });

/** Docker takes Go durations (h, m, s), not days or weeks: 2d → 48h, 90m → 90m. */
export function dockerSince(duration: string): string | undefined {
  const ms = parseDuration(duration);
  if (ms === undefined) return undefined;
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${ms / 60_000}m`;
}

/** The host to connect to: the environment's own platform host name, whose A record is its host. */
export function sshDestination(env: AccessEnvironment): string {
  return `${HOST_SSH_USER}@${sshHost(env)}`;
}

/** The container serving `service` on the environment's host; undefined when it has none (Mailpit in production). */
export function serviceContainer(env: AccessEnvironment, service: LogService): string | undefined {
  switch (service) {
    case "odoo":
      return odooContainer(env.slug);
    case "mailpit":
      return env.mail.catcher ? mailpitContainer(env.slug) : undefined;
    case "proxy":
      return PROXY_CONTAINER;
    case "agent":
      return AGENT_CONTAINER;
  }
}

/**
 * An interactive Odoo shell on the environment's database. odoo.conf (with the connection and its
 * password) is read inside the container; `-d` names the plan's database, which is per build in staging.
 */
export function shellArgv(env: AccessEnvironment): string[] {
  return [
    "ssh",
    "-t",
    ...HOST_SSH_OPTIONS,
    sshDestination(env),
    ...remote(["docker", "exec", "-it", odooContainer(env.slug), "odoo", "shell"]),
    ...remote(["-c", ODOO_CONF_PATH, "--no-http", "-d", env.database.name]),
  ];
}

/** A service's container logs (json-file driver, set up by cloud-init), optionally followed. */
export function logsArgv(env: AccessEnvironment, options: LogOptions): string[] {
  const container = serviceContainer(env, options.service);
  if (!container) throw new Error(`environment ${env.slug} runs no ${options.service}`);
  const flags = [
    ...(options.follow ? ["--follow"] : []),
    ...(options.since === undefined ? [] : ["--since", options.since]),
    ...(options.tail === undefined ? [] : ["--tail", options.tail]),
  ];
  return [
    "ssh",
    ...HOST_SSH_OPTIONS,
    sshDestination(env),
    ...remote(["docker", "logs", ...flags, container]),
  ];
}

/**
 * Why `odooops restore` cannot run in this environment, or undefined when it can. The restore runs in the
 * agent container with the database URL, backup location and filestore directory it already holds, and
 * only production's agent holds them; elsewhere they exist only while Pulumi runs a command.
 */
export function restoreUnavailable(stage: EnvironmentPlan["stage"]): string | undefined {
  if (AGENT_DATA_ENV_STAGES.includes(stage)) return undefined;
  const missing = Object.values(AGENT_DATA_ENV).join(", ");
  return (
    `the ${stage} agent container holds no ${missing}, so there is nothing to restore into from a shell; ` +
    (stage === "staging"
      ? "a staging environment gets a fresh, masked copy of production with every build: redeploy the branch"
      : "a preview's database is recreated by closing and redeploying the branch")
  );
}

/**
 * The data agent's restore into the environment's database, from the backup location its container
 * holds: into a new database, swapped in only on success, the previous one kept (`<db>__before_<ts>`).
 * Sessions on the database are ended at the swap. Outside production the copy is production-derived
 * data, so it is marked, neutralized and masked before the swap: it is never left usable unmasked.
 */
export function restoreArgv(env: AccessEnvironment, backup: string | undefined): string[] {
  const safety =
    env.stage === "production"
      ? []
      : [
          "--stage",
          env.stage,
          "--neutralize",
          "--base-url",
          `https://${sshHost(env)}`,
          "--mailpit-host",
          mailpitContainer(env.slug),
          "--mailpit-port",
          String(MAILPIT_SMTP_PORT),
          ...maskFlags(env),
        ];
  return [
    "ssh",
    ...HOST_SSH_OPTIONS,
    sshDestination(env),
    ...remote(["docker", "exec", AGENT_CONTAINER, "odooops", "agent", "restore"]),
    ...remote(["--db-url-env", AGENT_DATA_ENV.dbUrl, "--force-disconnect"]),
    ...remote(backup === undefined ? ["--of-database", env.database.name] : ["--backup", backup]),
    ...remote(safety),
  ];
}

function maskFlags(env: AccessEnvironment): string[] {
  const profile = env.database.kind === "clone" ? env.database.mask : PREVIEW_MASK;
  // `none` is a project's explicit choice for its staging clones (the policy pack reports it).
  return profile === "none" ? [] : ["--mask", profile];
}

function sshHost(env: AccessEnvironment): string {
  const host = env.hostnames[0];
  if (!host) throw new Error(`environment ${env.slug} has no host name`);
  return host;
}

const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for a POSIX shell: as is when it is plain, else single-quoted. */
export function shellWord(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** ssh joins the remote words with spaces for the host's shell, so each is quoted for it. */
function remote(words: readonly string[]): string[] {
  return words.map(shellWord);
}

/** argv as a line to paste into a shell (what `--print` shows). */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shellWord).join(" ");
}
