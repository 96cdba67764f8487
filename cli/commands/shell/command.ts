import type { Command } from "commander";
import { z } from "zod";
import type { EnvironmentPlan } from "../../../model/plan/environment-plan.ts";
import {
  LOG_SERVICES,
  type LogService,
  logsArgv,
  serviceContainer,
  shellArgv,
  sinceSchema,
  tailSchema,
} from "../../../model/plan/remote-access.ts";
import type { CommandContext } from "../../context.ts";
import { UsageError } from "../../io.ts";
import { type AccessOptions, accessCommand, decideByRights, runAccess } from "../access/command.ts";
import { parseInput } from "../control-plane/session.ts";

/** `odooops shell` and `odooops logs`: audited access to an environment (see access.ts). */
interface LogsOptions extends AccessOptions {
  follow?: boolean;
  since?: string;
  tail?: string;
  service: string;
}

export function registerShell(program: Command, context: CommandContext): void {
  accessCommand(program, "shell", "Open an Odoo shell on an environment's database, under audit").action(
    (project: string, branch: string, options: AccessOptions) =>
      runAccess(context, {
        project,
        branch,
        options,
        action: "shell.open",
        decide: decideByRights("shell.open"),
        argv: shellArgv,
      }),
  );
}

export function registerLogs(program: Command, context: CommandContext): void {
  accessCommand(program, "logs", "Show an environment's container logs, under audit")
    .option("-f, --follow", "keep streaming new lines")
    .option("--since <when>", "only lines since a duration ago (30m, 6h, 2d) or an ISO 8601 time")
    .option("--tail <n>", "only the last n lines (or all)")
    .option(
      "--service <service>",
      `whose logs: ${LOG_SERVICES.join(", ")} (proxy and agent serve the whole host)`,
      "odoo",
    )
    .action((project: string, branch: string, options: LogsOptions) => {
      const logs = {
        service: parseInput(z.enum(LOG_SERVICES), options.service, "--service"),
        follow: options.follow === true,
        since: options.since === undefined ? undefined : parseInput(sinceSchema, options.since, "--since"),
        tail: options.tail === undefined ? undefined : parseInput(tailSchema, options.tail, "--tail"),
      };
      return runAccess(context, {
        project,
        branch,
        options,
        action: "logs.read",
        decide: decideByRights("logs.read"),
        checkEnvironment: (env) => {
          if (!serviceContainer(env, logs.service)) throw noService(env, logs.service);
        },
        argv: (env) => logsArgv(env, logs),
      });
    });
}

function noService(env: EnvironmentPlan, service: LogService): UsageError {
  return new UsageError(
    `the ${env.stage} environment ${env.slug} runs no ${service}` +
      (service === "mailpit"
        ? ": its mail goes out through the mail servers configured in its database"
        : ""),
  );
}
