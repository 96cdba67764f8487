import { RETENTION_MINIMUM, retentionShortfalls } from "../data/retention.ts";
import { MAX_BACKUP_GAP_HOURS } from "../governance/governance-limits.ts";
import type { Project } from "../input/schema/project.ts";
import { maxGapMsCached } from "./backup-schedule.ts";
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

/** "Keep 7 daily backups" is only true if a backup is taken every day: the schedule may not leave a longer gap. */
export function backupScheduleFindings(project: Project): RuleFinding[] {
  const { schedule } = project.backup;
  if (project.retention.daily === 0) return [];
  const gapHours = maxGapMsCached(schedule) / 3_600_000;
  if (gapHours <= MAX_BACKUP_GAP_HOURS) return [];
  const gap = Number.isFinite(gapHours)
    ? gapHours >= 48
      ? `${Math.round(gapHours / 24)} days`
      : `${Math.round(gapHours)} hours`
    : "forever";
  return [
    {
      field: "backup.schedule",
      what: `the backup schedule "${schedule}" leaves up to ${gap} between backups, so the ${project.retention.daily} daily backup(s) that retention.daily promises cannot exist`,
      fix: 'run backups at least once a day, e.g. backup: { schedule: "0 2 * * *" } (or remove schedule: that is the default)',
    },
  ];
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
