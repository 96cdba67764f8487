import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type UpgradeCandidate, upgradeCandidate } from "../../model/plan/upgrade/candidate.ts";
import { readMigrationLog } from "../../model/plan/upgrade/migration-log.ts";
import { openUpgradeArgs, openUpgradeEnv } from "../../model/plan/upgrade/openupgrade.ts";
import { type InstalledModule, modulesWithoutPort, OCA_PORTS } from "../../model/plan/upgrade/ports.ts";
import { buildReport, type CheckRun, type UpgradeReport } from "../../model/plan/upgrade/report.ts";
import { renderUpgradeMarkdown } from "../../model/plan/upgrade/report-markdown.ts";
import { type CloneSource, cloneDatabase } from "../clone.ts";
import { AgentInputError } from "../errors.ts";
import type { NeutralizeOptions } from "../neutralize/run.ts";
import { libpqEnv, withClient } from "../pg/connection.ts";
import { connectServer, dropDatabase } from "../pg/databases.ts";
import type { Reporter } from "../progress.ts";
import { type CommandRun, runLogged } from "./run-command.ts";

/**
 * `odooops upgrade preview`: a fresh masked, neutralized copy of production (the agent's clone), the
 * candidate run on it (OpenUpgrade step by step, or a module update), then the project's tests and the
 * smoke tests, and a report in Markdown and JSON. The copy is dropped afterwards unless kept.
 */
export interface PreviewOptions {
  project: string;
  currentVersion: string;
  to: string;
  source: CloneSource;
  targetUrl: string;
  /** The candidate's Odoo as an argument vector, e.g. [docker, run, --rm, <image>, odoo]. */
  odoo: readonly string[];
  tests: readonly string[] | undefined;
  smoke: ((databaseUrl: string) => Promise<CheckRun>) | undefined;
  neutralize: NeutralizeOptions;
  outDir: string;
  keep: boolean;
  reporter: Reporter;
}

export interface PreviewResult {
  report: UpgradeReport;
  markdownFile: string;
  jsonFile: string;
}

const SIZE = "select pg_database_size(current_database())::bigint as n";
const INSTALLED =
  "select name, author from ir_module_module where state in ('installed', 'to upgrade') order by name";

/** The Odoo runs a candidate needs: one per OpenUpgrade step, or one `-u all`. */
function odooRuns(c: UpgradeCandidate, database: string) {
  return c.kind === "major"
    ? c.steps.map((step) => ({
        name: `OpenUpgrade → ${step}`,
        args: openUpgradeArgs(step, database),
        env: openUpgradeEnv(c.to),
      }))
    : [
        {
          name: "module update (-u all)",
          args: ["-d", database, "-u", "all", "--stop-after-init", "--no-http"],
          env: {},
        },
      ];
}

const check = (name: string, run: CommandRun, what: string): CheckRun => ({
  name,
  ok: run.exitCode === 0,
  durationMs: run.durationMs,
  detail: run.exitCode === 0 ? `${what} passed` : `${what} exited with ${run.exitCode}`,
});

export async function previewUpgrade(o: PreviewOptions): Promise<PreviewResult> {
  const candidate = upgradeCandidate(o.to, o.currentVersion);
  if (typeof candidate === "string") throw new AgentInputError(candidate);
  const startedAt = new Date().toISOString();
  await mkdir(o.outDir, { recursive: true });
  const clone = await cloneDatabase({
    source: o.source,
    targetUrl: o.targetUrl,
    stage: "staging",
    mask: { profile: "default", extras: [], password: undefined },
    neutralize: o.neutralize,
    jobs: 1,
    reporter: o.reporter,
  });
  const database = clone.target;
  try {
    const measure = () =>
      withClient(o.targetUrl, async (c) => Number((await c.query<{ n: string }>(SIZE)).rows[0]!.n));
    const sizeBefore = await measure();
    const installed = await withClient(
      o.targetUrl,
      async (c) => (await c.query<InstalledModule>(INSTALLED)).rows,
    );
    const env = libpqEnv(o.targetUrl);
    const logFile = join(o.outDir, "migration.log");
    const runs: CheckRun[] = [];
    let output = "";
    for (const step of odooRuns(candidate, database)) {
      o.reporter.info(`${step.name} on ${database}…`);
      const run = await runLogged([...o.odoo, ...step.args], { ...env, ...step.env }, logFile);
      output += run.output;
      runs.push(check(step.name, run, step.name));
      if (run.exitCode !== 0) break; // the next version starts only from a migrated database
    }
    const migrated = runs.every((r) => r.ok);
    const tests =
      migrated && o.tests
        ? check(
            "project tests",
            await runLogged(o.tests, { ...env, ODOOOPS_DB: database }, join(o.outDir, "tests.log")),
            "the project's tests",
          )
        : undefined;
    const smoke = migrated && o.smoke ? await o.smoke(o.targetUrl) : undefined;
    const report = buildReport({
      project: o.project,
      candidate,
      startedAt,
      finishedAt: new Date().toISOString(),
      clone: {
        database,
        masked: clone.masked !== undefined,
        neutralized: clone.neutralized !== undefined,
        durationMs: clone.durationMs,
      },
      sizeBefore,
      sizeAfter: await measure(),
      runs,
      log: readMigrationLog(output),
      // A new image of the same version brings its own modules: one it lacks shows in the log instead.
      withoutPort: candidate.kind === "major" ? modulesWithoutPort(installed, candidate.to) : [],
      portsReadAt: OCA_PORTS.readAt,
      tests,
      smoke,
    });
    const jsonFile = join(o.outDir, "upgrade-report.json");
    const markdownFile = join(o.outDir, "upgrade-report.md");
    await writeFile(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(markdownFile, renderUpgradeMarkdown(report));
    return { report, markdownFile, jsonFile };
  } finally {
    if (!o.keep) await dropCopy(o.targetUrl, database);
  }
}

async function dropCopy(targetUrl: string, database: string): Promise<void> {
  const server = await connectServer(targetUrl);
  try {
    await dropDatabase(server, database);
  } finally {
    await server.end();
  }
}
