import { existsSync, readFileSync } from "node:fs";
import type { Command } from "commander";
import type { z } from "zod";
import {
  banditSchema,
  judgeSecurity,
  pipAuditSchema,
  securityExceptionsSchema,
} from "../../../model/governance/security-gate.ts";
import { parseYamlConfig } from "../../../model/input/yaml-config.ts";
import { formatPath, formatProblem } from "../../../model/problem.ts";
import type { CommandContext } from "../../context.ts";
import { EXIT, UsageError } from "../../io.ts";

interface GateCli {
  pipAudit?: string;
  bandit?: string;
  exceptions: string;
  now?: string;
  json?: boolean;
}

function readJson<S extends z.ZodType>(file: string, schema: S, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`${file}: not ${what} JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new UsageError(
      `${file}: ${formatPath(parsed.error.issues[0]!.path as (string | number)[])}: ${parsed.error.issues[0]!.message}`,
    );
  return parsed.data;
}

function readExceptions(file: string) {
  if (!existsSync(file)) return { exceptions: [] };
  const { value, problems } = parseYamlConfig(file, readFileSync(file, "utf8"), securityExceptionsSchema);
  if (!value) throw new UsageError(problems.map(formatProblem).join("\n"));
  return value;
}

export function registerSecurityGate(program: Command, context: CommandContext): void {
  program
    .command("security-gate")
    .description(
      "Judge pip-audit and bandit results (G1 check odooops/security): blocking findings without an exception fail",
    )
    .option("--pip-audit <json>", "pip-audit --format json output")
    .option("--bandit <json>", "bandit -f json output")
    .option("--exceptions <yaml>", "the app repository's exceptions", ".odooops/security-exceptions.yaml")
    .option("--now <time>", "the clock exceptions expire against (default: now)")
    .option("--json", "machine-readable result")
    .action((o: GateCli) => {
      const now = o.now ? new Date(o.now) : new Date();
      if (Number.isNaN(now.getTime())) throw new UsageError(`--now ${o.now}: not a time`);
      const result = judgeSecurity(
        {
          ...(o.pipAudit ? { pipAudit: readJson(o.pipAudit, pipAuditSchema, "pip-audit") } : {}),
          ...(o.bandit ? { bandit: readJson(o.bandit, banditSchema, "bandit") } : {}),
          exceptions: readExceptions(o.exceptions),
        },
        now,
      );
      context.io.out(
        o.json
          ? JSON.stringify(result, null, 2)
          : [
              ...result.findings.map(
                (f) =>
                  `${f.excepted ? "excepted" : f.blocking ? "BLOCKING" : "advisory"} ${f.tool} ${f.id} ${f.where}: ${f.what}`,
              ),
              ...result.problems,
              `security gate ${result.passed ? "passed" : "FAILED"}: ${result.summary}`,
            ].join("\n"),
      );
      context.exit.code = result.passed ? EXIT.ok : EXIT.violations;
    });
}
