import { writeFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { formatOption, jsonAlias } from "../../cli/format.ts";
import { DATA_STAGES, type DataStage } from "../../model/data/data-safety.ts";
import {
  extraColumnSchema,
  MASK_PROFILE_RULES,
  type MaskProfileName,
  type MaskRule,
} from "../../model/data/masking.ts";
import { loadAgentEnvFile } from "../env-file.ts";
import { AgentError, AgentInputError, describeFailure } from "../errors.ts";
import type { NeutralizeOptions } from "../neutralize/run.ts";
import type { Reporter } from "../progress.ts";

/** Options every agent command takes. */
export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
}

export function withOutputOptions(command: Command): Command {
  return (
    command
      // Progress stays on stderr whatever the format.
      .addOption(formatOption())
      .addOption(jsonAlias())
      .option("--quiet", "no progress lines", false)
  );
}

export function reporter(context: CommandContext, options: OutputOptions): Reporter {
  return {
    info: (line) => context.io.err(line),
    progress: (line) => {
      if (!options.quiet) context.io.err(line);
    },
  };
}

/**
 * Runs a command body, once the resident agent's environment file is read (agent/env-file.ts). An
 * AgentError becomes its one-line message and exit code, never a stack trace; anything else is named by
 * what failed (database connection, storage), else reported as an unexpected failure (ODOOOPS_DEBUG=1
 * adds the stack).
 */
export function action<A extends unknown[]>(
  context: CommandContext,
  name: string,
  body: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await loadAgentEnvFile();
      await body(...args);
    } catch (error) {
      const known = error instanceof AgentError;
      context.io.err(`odooops agent ${name}: ${known ? error.message : describeFailure(error)}`);
      if (!known && process.env.ODOOOPS_DEBUG && error instanceof Error && error.stack)
        context.io.err(error.stack);
      context.exit.code = known ? error.exitCode : 1;
    }
  };
}

export function printResult(
  context: CommandContext,
  options: OutputOptions,
  result: unknown,
  text: string,
): void {
  context.io.out(options.json ? JSON.stringify(result, null, 2) : text);
}

export async function writeEvidence(path: string | undefined, evidence: unknown): Promise<void> {
  if (path) await writeFile(path, `${JSON.stringify(evidence, null, 2)}\n`);
}

/** A value from an environment variable the caller named, for secrets and URLs. */
export function fromEnv(name: string, what: string): string {
  const value = process.env[name];
  if (!value) throw new AgentInputError(`environment variable ${name} is not set; it must hold ${what}`);
  return value;
}

export function envDefault(name: string): string | undefined {
  return process.env[name] || undefined;
}

export const stageOption = (flags: string, description: string) =>
  new Option(flags, description).choices([...DATA_STAGES]);

export function assumeStage(value: string | undefined): DataStage | undefined {
  return value as DataStage | undefined;
}

/** Options of the masking step, shared by clone, restore and mask. */
export interface MaskCliOptions {
  extra?: string[];
  passwordEnv?: string;
}

export function addMaskOptions(command: Command, profileFlag: string): Command {
  return command
    .addOption(new Option(profileFlag, "masking profile").choices(Object.keys(MASK_PROFILE_RULES)))
    .option("--extra <column...>", "more columns to mask: table.column or table.column:strategy")
    .option(
      "--password-env <var>",
      "variable holding the password every user gets (default: no password login)",
    );
}

export function maskSettings(
  profile: string | undefined,
  options: MaskCliOptions,
): { profile: MaskProfileName; extras: MaskRule[]; password: string | undefined } | undefined {
  if (!profile) {
    if (options.extra?.length || options.passwordEnv)
      throw new AgentInputError("--extra and --password-env only apply when masking (--mask or --profile)");
    return undefined;
  }
  const extras = (options.extra ?? []).map((text) => {
    const parsed = extraColumnSchema.safeParse(text);
    if (!parsed.success) throw new AgentInputError(`--extra ${text}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
  const password = options.passwordEnv ? fromEnv(options.passwordEnv, "the users' new password") : undefined;
  return { profile: profile as MaskProfileName, extras, password };
}

/** Options of the neutralize step, shared by clone, restore and neutralize. */
export interface NeutralizeCliOptions {
  baseUrl?: string;
  mailpitHost?: string;
  mailpitPort: string;
  keepCron?: string[];
}

export function addNeutralizeOptions(command: Command): Command {
  return command
    .option("--base-url <url>", "the environment's own URL; becomes web.base.url, frozen")
    .option("--mailpit-host <host>", "host of the environment's Mailpit, the only outgoing mail server left")
    .option("--mailpit-port <port>", "Mailpit's SMTP port", "1025")
    .option("--keep-cron <xmlid...>", "scheduled actions to keep active besides Odoo's own list");
}

export function neutralizeSettings(
  enabled: boolean,
  options: NeutralizeCliOptions,
): NeutralizeOptions | undefined {
  if (!enabled) return undefined;
  if (!options.baseUrl || !options.mailpitHost)
    throw new AgentInputError("neutralizing needs --base-url and --mailpit-host");
  return {
    baseUrl: options.baseUrl,
    mailCatcherHost: options.mailpitHost,
    mailCatcherPort: Number(options.mailpitPort),
    keepCrons: options.keepCron ?? [],
  };
}

/** Where backups are: --location, else ODOOOPS_BACKUP_URL. */
export function backupLocation(value: string | undefined): string {
  const location = value ?? envDefault("ODOOOPS_BACKUP_URL");
  if (!location)
    throw new AgentInputError(
      "no backup location: pass --location s3://bucket/prefix/ or set ODOOOPS_BACKUP_URL",
    );
  return location;
}
