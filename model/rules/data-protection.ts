import { RETENTION_MINIMUM, retentionShortfalls } from "../retention.ts";
import type { Project } from "../schema/project.ts";
import type { RuleFinding } from "./finding.ts";

/** Production data survives mistakes: enough backups, and a database no change can replace or delete. */

export function retentionFindings(project: Project): RuleFinding[] {
  const { daily, weekly, monthly } = RETENTION_MINIMUM;
  return retentionShortfalls(project.retention).map(({ tier, have, need }) => ({
    field: `retention.${tier}`,
    what: `production keeps ${have} ${tier} backup(s), below the ${need} that Odoo.sh parity requires (${daily} daily / ${weekly} weekly / ${monthly} monthly)`,
    fix: `set retention.${tier} to at least ${need} (or remove it: the default is ${need})`,
  }));
}

export interface DatabaseOptions {
  protect: boolean;
  deleteBeforeReplace?: boolean | undefined;
}

/**
 * A protected resource can be neither deleted nor replaced (a replacement deletes the old one), so
 * `protect` is what stands between a YAML edit and a dropped production database.
 */
export function databaseProtectionProblems(options: DatabaseOptions): string[] {
  const problems: string[] = [];
  if (!options.protect)
    problems.push("it is not protected (protect: true), so a change can delete or replace it");
  if (options.deleteBeforeReplace)
    problems.push("it is deleted before its replacement is created (deleteBeforeReplace: true)");
  return problems;
}

export interface DatabaseFirewallRuleFacts {
  type: string;
}

/** DigitalOcean database firewalls admit droplets, tags, IP ranges, Kubernetes clusters or apps; only droplets are precise. */
export function imprecisePrincipals(rules: readonly DatabaseFirewallRuleFacts[]): string[] {
  return rules.filter((rule) => rule.type !== "droplet").map((rule) => rule.type);
}
