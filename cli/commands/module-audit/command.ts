import type { Command } from "commander";
import { z } from "zod";
import { controlPlaneConfigFromEnv, openAnonymousTransport } from "../../../controlplane/connection.ts";
import { ControlPlaneError } from "../../../controlplane/errors.ts";
import { auditModules, installedModule, MODULE_COLUMNS } from "../../../model/governance/module-audit.ts";
import type { CommandContext } from "../../context.ts";
import { formatOption, jsonAlias } from "../../format.ts";
import { EXIT, UsageError } from "../../io.ts";

const begun = z.object({ id: z.uuid(), project: z.string(), environment: z.string() });
const filed = z.object({ id: z.uuid(), environment: z.string(), findings: z.number() });

function fromEnv(name: string, what: string): string {
  const value = process.env[name];
  if (!value) throw new UsageError(`environment variable ${name} is not set; it must hold ${what}`);
  return value;
}

/** Installed modules, read through the auditor's read-only connection (its role sees these columns only). */
async function readModules(url: string) {
  const { default: pg } = await import("pg"); // not at start-up: only this command needs it
  const client = new pg.Client({ connectionString: url, options: "-c default_transaction_read_only=on" });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query(
      `select ${MODULE_COLUMNS.join(", ")} from ir_module_module order by name`,
    );
    return z.array(installedModule).parse(rows);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * `odooops module-audit <environment>`: the automated reviewer. Its audit key (bound to one project) opens
 * an audit in the control plane, it reads the installed modules with a database login that sees
 * ir_module_module's audited columns only, judges them (model/governance/module-audit.ts) and files the report. The
 * control plane records every step; the key reaches no other function.
 */
export function registerModuleAudit(program: Command, context: CommandContext): void {
  program
    .command("module-audit")
    .description(
      "Automated reviewer: list an environment's installed modules, check OCA/EE rules, file the report",
    )
    .argument("<environment>", "environment slug, e.g. production")
    .option(
      "--db-url-env <var>",
      "variable holding the module reader's database URL",
      "ODOOOPS_MODULES_DB_URL",
    )
    .option("--key-env <var>", "variable holding the audit key", "ODOOOPS_AUDIT_KEY")
    .option("--prefix <prefix>", "prefix of the project's own modules", "ipai_")
    .addOption(formatOption())
    .addOption(jsonAlias())
    .action(
      async (
        environment: string,
        o: { dbUrlEnv: string; keyEnv: string; prefix: string; format: string },
      ) => {
        const found = controlPlaneConfigFromEnv();
        if (!found.config)
          throw new UsageError(
            found.problem ?? "no control plane configured (ODOOOPS_CONTROL_PLANE_URL or SUPABASE_URL)",
          );
        const key = fromEnv(o.keyEnv, "the audit key");
        const dbUrl = fromEnv(o.dbUrlEnv, "the module reader's database URL");
        const transport = openAnonymousTransport(found.config);
        try {
          const audit = begun.parse(
            await transport.call("begin_module_audit_with_key", { p_key: key, p_environment: environment }),
          );
          const modules = await readModules(dbUrl);
          const findings = auditModules(modules, o.prefix);
          const report = {
            modules: modules
              .filter((m) => m.state === "installed")
              .map((m) => ({ name: m.name, version: m.latest_version })),
            findings,
          };
          const result = filed.parse(
            await transport.call("file_module_audit_with_key", {
              p_key: key,
              p_audit: audit.id,
              p_report: report,
            }),
          );
          if (o.format === "json")
            context.io.out(JSON.stringify({ audit: result.id, project: audit.project, ...report }, null, 2));
          else
            context.io.out(
              [
                `${audit.project} ${environment}: ${report.modules.length} installed modules, ${findings.length} finding(s); filed as module audit ${result.id}`,
                ...findings.map((f) => `  ${f.rule}: ${f.message}`),
              ].join("\n"),
            );
          if (findings.length > 0) context.exit.code = EXIT.violations;
        } catch (error) {
          if (error instanceof ControlPlaneError) throw new UsageError(error.describe());
          throw error;
        } finally {
          await transport.close();
        }
      },
    );
}
