import type { UpgradeCandidate } from "./candidate.ts";
import type { LogEntry, MigrationLog } from "./migration-log.ts";
import type { PortStatus } from "./ports.ts";

/**
 * The upgrade preview's report: what a release manager reads before deciding to upgrade, and the
 * evidence attached to the release. Pure: built from what the preview measured.
 */
export interface CheckRun {
  name: string;
  ok: boolean;
  durationMs: number;
  detail: string;
}

export interface UpgradeFacts {
  project: string;
  candidate: UpgradeCandidate;
  startedAt: string;
  finishedAt: string;
  clone: { database: string; masked: boolean; neutralized: boolean; durationMs: number };
  sizeBefore: number;
  sizeAfter: number;
  /** One entry per Odoo run (each OpenUpgrade step, or the module update). */
  runs: CheckRun[];
  log: MigrationLog;
  withoutPort: Exclude<PortStatus, { origin: "odoo" }>[];
  portsReadAt: string;
  tests: CheckRun | undefined;
  smoke: CheckRun | undefined;
}

export type Verdict = "ready" | "needs-work" | "blocked";

export interface UpgradeReport extends UpgradeFacts {
  durationMs: number;
  sizeChange: number;
  verdict: Verdict;
  actions: string[];
}

const first = (entries: LogEntry[]) => (entries[0] ? `${entries[0].logger}: ${entries[0].message}` : "");

export function formatSize(bytes: number): string {
  const sign = bytes < 0 ? "-" : "";
  let n = Math.abs(bytes);
  for (const unit of ["B", "KiB", "MiB", "GiB"]) {
    if (n < 1024 || unit === "GiB") return `${sign}${unit === "B" ? n : n.toFixed(1)} ${unit}`;
    n /= 1024;
  }
  return `${bytes} B`;
}

/** The steps a person must take, most blocking first. */
function actionsFor(f: UpgradeFacts): string[] {
  const to = f.candidate.kind === "major" ? f.candidate.to : f.candidate.version;
  const actions: string[] = [];
  for (const m of f.withoutPort)
    actions.push(
      m.origin === "oca"
        ? `port ${m.module} to ${to} (${m.detail}), or uninstall it in production first`
        : `port ${m.module} to ${to}: ${m.detail}`,
    );
  const failed = f.runs.filter((r) => !r.ok);
  if (failed.length > 0)
    actions.push(`make ${failed.map((r) => r.name).join(", ")} succeed: ${failed[0]!.detail}`);
  if (f.log.errors.length > 0)
    actions.push(`fix ${f.log.errors.length} migration error(s) in the log, first: ${first(f.log.errors)}`);
  if (f.tests && !f.tests.ok) actions.push(`fix the project's tests on the upgraded copy: ${f.tests.detail}`);
  if (f.smoke && !f.smoke.ok) actions.push(`fix the smoke test failures: ${f.smoke.detail}`);
  if (f.log.warnings.length > 0)
    actions.push(`review ${f.log.warnings.length} migration warning(s), first: ${first(f.log.warnings)}`);
  const growth = f.sizeAfter - f.sizeBefore;
  if (f.sizeBefore > 0 && growth / f.sizeBefore > 0.2)
    actions.push(
      `plan for a database ${formatSize(growth)} larger (${Math.round((growth / f.sizeBefore) * 100)}%)`,
    );
  if (f.candidate.kind === "major")
    actions.push(
      `in one PR: set odoo.version to ${f.candidate.to} and pin the ${f.candidate.to} image; production then needs a maintenance window of about ${Math.ceil(runsMs(f) / 60000)} min for ${f.candidate.steps.length} OpenUpgrade run(s) after a pre-deploy backup`,
    );
  return actions;
}

const runsMs = (f: UpgradeFacts) => f.runs.reduce((sum, r) => sum + r.durationMs, 0);

export function buildReport(f: UpgradeFacts): UpgradeReport {
  const blocked = f.runs.some((r) => !r.ok) || f.log.errors.length > 0 || f.withoutPort.length > 0;
  const needsWork = (f.tests && !f.tests.ok) || (f.smoke && !f.smoke.ok) || f.log.warnings.length > 0;
  return {
    ...f,
    durationMs: Date.parse(f.finishedAt) - Date.parse(f.startedAt),
    sizeChange: f.sizeAfter - f.sizeBefore,
    verdict: blocked ? "blocked" : needsWork ? "needs-work" : "ready",
    actions: actionsFor(f),
  };
}

/** A one-line summary (the control plane's evidence summary). */
export function reportSummary(r: UpgradeReport): string {
  const c = r.candidate;
  const what = c.kind === "major" ? `${c.from} → ${c.to}` : `image ${c.image.slice(-19)}`;
  return `upgrade preview ${what}: ${r.verdict}; ${r.withoutPort.length} module(s) without port, ${r.log.errors.length} error(s), ${r.log.warnings.length} warning(s), ${formatSize(r.sizeChange)} size change, ${Math.round(r.durationMs / 1000)} s`;
}
