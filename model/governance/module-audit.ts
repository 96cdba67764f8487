import { z } from "zod";
import { ENTERPRISE_MODULES } from "./oca-compliance.ts";

/**
 * The "module audit" agent flow's rules (issue 18 part 9): the installed modules of an environment judged
 * by the same Enterprise list as `odooops oca check`, and the custom-prefix rule applied to modules that
 * neither Odoo S.A. nor the OCA authored. Pure: the flow (cli/commands/module-audit/command.ts) reads and files.
 */

/** What the auditor's database role may read: these columns of ir_module_module, nothing else. */
export const MODULE_COLUMNS = ["name", "state", "latest_version", "author"] as const;

export const installedModule = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]{1,128}$/),
  state: z.string().max(32),
  latest_version: z.string().max(64).nullable(),
  author: z.string().max(500).nullable(),
});
export type InstalledModule = z.output<typeof installedModule>;

export interface AuditFinding {
  module: string;
  rule: "enterprise-module" | "custom-prefix";
  message: string;
}

const KNOWN_AUTHORS = /Odoo S\.A\.|Odoo Community Association|\bOCA\b/i;

export function auditModules(modules: readonly InstalledModule[], prefix: string): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const m of modules.filter((x) => x.state === "installed")) {
    if (ENTERPRISE_MODULES.has(m.name))
      findings.push({
        module: m.name,
        rule: "enterprise-module",
        message: `${m.name} is an Odoo Enterprise module`,
      });
    else if (!KNOWN_AUTHORS.test(m.author ?? "") && !m.name.startsWith(prefix))
      findings.push({
        module: m.name,
        rule: "custom-prefix",
        message: `${m.name} (by ${m.author ?? "no author"}) is neither Odoo's nor OCA's and not named ${prefix}…`,
      });
  }
  return findings;
}

/**
 * SQL that gives `role` (a login the caller created) read access to the audited columns only: the
 * auditor's connection can list modules and can read no business data, write nothing, run nothing.
 */
export function moduleReaderGrants(role: string): string[] {
  const r = `"${role.replaceAll('"', '""')}"`;
  return [
    `revoke all on all tables in schema public from ${r}`,
    `grant usage on schema public to ${r}`,
    `grant select (${MODULE_COLUMNS.join(", ")}) on table public.ir_module_module to ${r}`,
    `alter role ${r} set default_transaction_read_only = on`,
  ];
}
