import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import {
  addNeutralizeOptions,
  type NeutralizeCliOptions,
  neutralizeSettings,
} from "../../../agent/commands/common.ts";
import { AgentError, describeFailure } from "../../../agent/errors.ts";
import { readDatabaseUrl, withDatabase } from "../../../agent/pg/connection.ts";
import { silentReporter } from "../../../agent/progress.ts";
import { reportSummary } from "../../../model/plan/upgrade/report.ts";
import { formatProblem } from "../../../model/problem.ts";
import type { CommandContext } from "../../context.ts";
import { EXIT, UsageError } from "../../io.ts";
import { findProjectFile, loadProjectFile } from "../../project-file.ts";
import {
  parseInput,
  type SessionOptions,
  withControlPlane,
  withSessionOptions,
} from "../control-plane/session.ts";
import { releaseName } from "../release/command.ts";

interface UpgradeCli extends SessionOptions, NeutralizeCliOptions {
  to: string;
  root: string;
  sourceUrlEnv?: string;
  sourceFile?: string;
  targetUrlEnv?: string;
  odoo: string;
  tests?: string;
  smoke?: string;
  smokeUrl?: string;
  out?: string;
  keep: boolean;
  release?: string;
  evidenceUri?: string;
}

/** A command line given as one option: words split on spaces (no shell, so nothing is expanded). */
const words = (text: string) => text.split(/\s+/).filter(Boolean);
const evidenceUri = z.url({ protocol: /^(https|file)$/, error: "must be an https:// or file:// URL" });

function sourceOf(o: UpgradeCli) {
  if (o.sourceFile)
    return { source: { kind: "backup" as const, backup: { file: o.sourceFile } }, server: undefined };
  if (!o.sourceUrlEnv)
    throw new UsageError("name production with --source-url-env VAR or --source-file backup.zip");
  const db = readDatabaseUrl(o.sourceUrlEnv);
  return { source: { kind: "database" as const, db }, server: db.url };
}

export function registerUpgrade(program: Command, context: CommandContext): void {
  const upgrade = program
    .command("upgrade")
    .description("Upgrade advisor: try an upgrade on a masked copy of production");
  const preview = upgrade
    .command("preview")
    .description(
      "Copy production (masked, neutralized), run the candidate, the tests and smoke tests; report",
    )
    .argument("<project>", "project name (projects/<project>.yaml says its Odoo version)")
    .requiredOption(
      "--to <version|image>",
      "an Odoo version (OpenUpgrade) or an image by digest (module update)",
    )
    .option("--root <dir>", "directory with projects/", ".")
    .option("--source-url-env <var>", "variable holding production's postgresql:// URL")
    .option("--source-file <zip>", "production's backup zip instead of its live database")
    .option(
      "--target-url-env <var>",
      "variable holding the server the copy is made on (default: the source's)",
    )
    .option(
      "--odoo <command>",
      "the candidate's Odoo command line (words; e.g. docker run --rm <image> odoo)",
      "odoo",
    )
    .option("--tests <command>", "the project's tests, run on the upgraded copy (ODOOOPS_DB and PG* set)")
    .option("--smoke <file>", "smoke tests (YAML) run against --smoke-url after the upgrade")
    .option("--smoke-url <url>", "where the candidate serves the upgraded copy")
    .option(
      "--out <dir>",
      "where the report, its Markdown and the logs go (default .odooops/upgrade/<project>-<time>)",
    )
    .option("--keep", "keep the upgraded copy (default: dropped)", false)
    .option("--release <release>", "attach the report as G2 test_evidence of this release")
    .option("--evidence-uri <url>", "where the report is published (default: the report file)");
  addNeutralizeOptions(preview);
  withSessionOptions(preview).action(async (project: string, o: UpgradeCli) => {
    const { loaded, problems } = loadProjectFile(findProjectFile(o.root, project));
    if (!loaded) throw new UsageError(problems.map(formatProblem).join("\n"));
    const release = o.release === undefined ? undefined : parseInput(releaseName, o.release, "--release");
    const { source, server } = sourceOf(o);
    const targetServer = o.targetUrlEnv ? readDatabaseUrl(o.targetUrlEnv).url : server;
    if (!targetServer) throw new UsageError("a backup source needs --target-url-env for the copy's server");
    const neutralize = neutralizeSettings(true, o);
    if (!neutralize) throw new UsageError("the copy is neutralized: give --base-url and --mailpit-host");
    if ((o.smoke === undefined) !== (o.smokeUrl === undefined))
      throw new UsageError("--smoke and --smoke-url go together");
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const outDir = resolve(o.out ?? `.odooops/upgrade/${project}-${stamp}`);
    try {
      // The agent's copy, upgrade and smoke machinery: loaded when the command runs, not at start-up.
      const [{ previewUpgrade }, { smokeCheck }] = await Promise.all([
        import("../../../agent/upgrade/preview.ts"),
        import("../../../agent/smoke/check.ts"),
      ]);
      const result = await previewUpgrade({
        project,
        currentVersion: loaded.project.odoo.version,
        to: o.to,
        source,
        targetUrl: withDatabase(targetServer, `${project.replace(/-/g, "_")}_upgrade_${stamp}`),
        odoo: words(o.odoo),
        tests: o.tests ? words(o.tests) : undefined,
        smoke: o.smoke && o.smokeUrl ? smokeCheck(o.smoke, o.smokeUrl) : undefined,
        neutralize,
        outDir,
        keep: o.keep,
        reporter: o.json ? silentReporter : { info: (l) => context.io.err(l), progress: () => undefined },
      });
      const { report } = result;
      if (release) {
        const json = readFileSync(result.jsonFile);
        const uri = parseInput(evidenceUri, o.evidenceUri ?? `file://${result.jsonFile}`, "--evidence-uri");
        const done = await withControlPlane(context, o, (cp) =>
          cp.attachEvidence({
            project,
            release,
            gate: "G2",
            evidence: {
              kind: "test_evidence",
              uri,
              summary: reportSummary(report),
              sha256: createHash("sha256").update(json).digest("hex"),
            },
          }),
        );
        if (!done) return;
      }
      context.io.out(
        o.json
          ? JSON.stringify(
              { ...report, files: { markdown: result.markdownFile, json: result.jsonFile } },
              null,
              2,
            )
          : [
              reportSummary(report),
              ...report.actions.map((a) => `  - ${a}`),
              `report: ${result.markdownFile}`,
            ].join("\n"),
      );
      context.exit.code = report.verdict === "blocked" ? EXIT.violations : EXIT.ok;
    } catch (error) {
      if (!(error instanceof AgentError))
        throw error instanceof UsageError ? error : new Error(describeFailure(error));
      context.io.err(`odooops upgrade preview: ${error.message}`);
      context.exit.code = error.exitCode;
    }
  });
}
