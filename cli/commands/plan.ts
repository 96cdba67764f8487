import { writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { STACKS } from "../../model/stack-file.ts";
import { formatOption, jsonAlias } from "../format.ts";
import { EXIT, processIo, UsageError } from "../io.ts";
import type { CommandContext } from "../main.ts";
import { scopeOfChange, stackCatalogs } from "../plan/affected.ts";
import { planProgress } from "../plan/progress.ts";
import { noProjectsLine, projectFilesOrDefault, projectsDirOption } from "../project-files.ts";
import { renderJson } from "../render/json.ts";
import { COMMENT_BUDGET, renderMarkdown } from "../render/markdown.ts";
import { renderText } from "../render/text.ts";
import { printProblems } from "./validate.ts";

const RENDERERS = { text: renderText, markdown: renderMarkdown, json: renderJson } as const;

function maxChars(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--max-chars must be a whole number, got "${value}"`);
  return n;
}

export function registerPlan(program: Command, context: CommandContext): void {
  program
    .command("plan")
    .description(
      "Show what the program would create, per project and environment, with policy results; offline",
    )
    .argument("[files...]", "project files (default: projects/*.yaml)")
    .addOption(formatOption(Object.keys(RENDERERS)))
    .addOption(jsonAlias())
    .addOption(new Option("--stack <stack>", "stack to plan").choices([...STACKS, "all"]).default("all"))
    .addOption(projectsDirOption())
    .option("--catalog <file>", "build catalog (live branches, builds, release gates)")
    .option("--root <dir>", "directory with Pulumi.yaml and the stack files", ".")
    .option("--now <time>", "ISO 8601 time policies treat as now (TTL expiry, gate exceptions)")
    .option("--base <ref>", "also plan the project files of this git commit and show what changes")
    .option("--all-projects", "with --base: plan every project, not only those the change affects")
    .option(
      "--max-chars <n>",
      `markdown: shorten at section boundaries to this many characters; 0: never (default ${COMMENT_BUDGET}, fits a GitHub comment)`,
    )
    .option("--full-plan-url <url>", "markdown: where the shortened comment points for the full plan")
    .option("--full-output <file>", "markdown: also write the complete, unshortened plan to this file")
    .action(
      async (
        files: string[],
        options: {
          stack: string;
          format: keyof typeof RENDERERS;
          projects: string;
          catalog?: string;
          root: string;
          now?: string;
          base?: string;
          allProjects?: boolean;
          maxChars?: string;
          fullPlanUrl?: string;
          fullOutput?: string;
        },
      ) => {
        const now = options.now === undefined ? undefined : new Date(options.now);
        if (now && Number.isNaN(now.getTime()))
          throw new UsageError(
            `--now must be an ISO 8601 time such as 2026-11-23T12:00:00Z, got "${options.now}"`,
          );
        const limit = options.maxChars === undefined ? COMMENT_BUDGET : maxChars(options.maxChars);
        // Loaded here: the plan pulls in the Pulumi SDK, which `odooops --help` and the other commands
        // never need (it costs about a second and a half of CPU to load).
        const [{ runPlan }, { diffPlans }, { inputsAtCommit }] = await Promise.all([
          import("../plan/plan.ts"),
          import("../plan/diff.ts"),
          import("../plan/base.ts"),
        ]);
        const stacks = options.stack === "all" ? STACKS : [options.stack];
        const projectFiles = projectFilesOrDefault(files, options.projects);
        const base = options.base
          ? inputsAtCommit(options.base, files.length > 0 ? files : undefined, options.projects)
          : undefined;
        // A fresh platform repo has no projects yet: nothing to plan is an answer, not an error.
        if (projectFiles.length === 0 && (base?.files.length ?? 0) === 0) {
          const line = noProjectsLine(options.projects, "plan");
          if (options.format === "json") {
            context.io.out(renderJson({ stacks: [], resources: [], violations: [] }));
            context.io.err(line);
          } else context.io.out(line);
          context.exit.code = EXIT.ok;
          return;
        }
        // A change is planned for the projects it can affect; explicit files are planned as given.
        const scope =
          options.base && base && files.length === 0 && !options.allProjects
            ? scopeOfChange(options.base, [...projectFiles, ...base.files], stackCatalogs(options, stacks))
            : undefined;
        const only = scope && !scope.all ? new Set(scope.planned.map((p) => p.project)) : undefined;
        // Progress goes to a terminal or CI log only (the real stderr), never into captured output.
        const progress = (label: string) =>
          context.io === processIo ? planProgress((line) => context.io.err(line), label) : undefined;
        const outcome = await runPlan({
          root: options.root,
          files: projectFiles,
          stacks,
          catalogFile: options.catalog,
          now,
          projects: only,
          progress: progress("plan"),
        });
        if (!outcome.ok) {
          if (outcome.problems.length > 0) printProblems(context, outcome.problems);
          if (outcome.messages.length > 0) throw new UsageError(outcome.messages.join("\n"));
          context.exit.code = EXIT.invalidInput;
          return;
        }
        outcome.report.scope = scope;
        if (options.base && base) {
          const before = await runPlan({
            ...base,
            root: options.root,
            stacks,
            catalogFile: options.catalog,
            now,
            projects: only,
            progress: progress(`plan of ${options.base}`),
          });
          if (before.ok) outcome.report.changes = diffPlans(options.base, before.report, outcome.report);
          else
            outcome.report.baseProblem = `${options.base}: its files do not plan (${before.problems.length + before.messages.length} problem(s)); every resource is new to this change`;
        }
        if (options.format === "markdown") {
          const fullPlanUrl = options.fullPlanUrl;
          context.io.out(renderMarkdown(outcome.report, { maxChars: limit || undefined, fullPlanUrl }));
          if (options.fullOutput) writeFileSync(options.fullOutput, renderMarkdown(outcome.report));
        } else context.io.out(RENDERERS[options.format](outcome.report));
        const mandatory = outcome.report.violations.filter((v) => v.level === "mandatory");
        context.exit.code = mandatory.length > 0 ? EXIT.violations : EXIT.ok;
      },
    );
}
