import { type Command, Option } from "commander";
import { loadProjects } from "../../../model/input/loader.ts";
import { type ExpiredBranch, expiredBranches } from "../../../model/plan/reaper.ts";
import { NON_PRODUCTION_STAGES, type Stage } from "../../../model/stages.ts";
import type { CommandContext } from "../../context.ts";
import { formatOption, jsonAlias } from "../../format.ts";
import { EXIT, UsageError } from "../../io.ts";
import { projectFilesOrDefault, projectsDirOption } from "../../project-files.ts";
import { printProblems } from "../validate/command.ts";
import { openCatalogSource } from "./reap-target.ts";

interface ReapOptions {
  projects: string;
  catalog?: string;
  stack: string;
  root: string;
  now?: string;
  stage: Stage[];
  write: boolean;
  format: "text" | "json";
}

/**
 * The TTL reaper: previews past their TTL and not kept leave the build catalog (the control plane
 * closes their environment), so the next reconcile of the staging stack deletes them.
 */
export function registerReap(program: Command, context: CommandContext): void {
  program
    .command("reap")
    .description("Find previews past their TTL (not kept); with --write, take them out of the build catalog")
    .argument("[files...]", "project files (default: projects/*.yaml)")
    .option(
      "--catalog <file>",
      "build catalog file (default: the control plane if configured, else the stack's)",
    )
    .addOption(projectsDirOption())
    .option("--stack <stack>", "stack whose settings name the catalog file", "staging")
    .option("--root <dir>", "directory with the stack files", ".")
    .option("--now <time>", "reap as of this ISO 8601 time instead of now")
    .addOption(
      new Option("--stage <stage...>", "stages to reap")
        .choices([...NON_PRODUCTION_STAGES])
        .default(["development"]),
    )
    .option("--write", "remove the expired branches from the catalog", false)
    .addOption(formatOption())
    .addOption(jsonAlias())
    .action(async (files: string[], options: ReapOptions) => {
      const now = options.now === undefined ? new Date() : new Date(options.now);
      if (Number.isNaN(now.getTime()))
        throw new UsageError(`--now "${options.now}" is not a time; use ISO 8601, e.g. 2026-12-01T00:00:00Z`);
      const loaded = loadProjects(projectFilesOrDefault(files, options.projects));
      if (loaded.problems.length > 0) {
        printProblems(context, loaded.problems);
        context.exit.code = EXIT.invalidInput;
        return;
      }
      const projects = loaded.projects.map((p) => p.project);
      const source = await openCatalogSource({ ...options, projects: projects.map((p) => p.name) });
      if (Array.isArray(source)) {
        printProblems(context, source);
        context.exit.code = EXIT.invalidInput;
        return;
      }
      try {
        const expired = expiredBranches(projects, source.catalog, { now, stages: options.stage });
        if (options.write && expired.length > 0) await source.remove(expired);
        context.io.out(
          options.format === "json"
            ? JSON.stringify(
                { catalog: source.name, now: now.toISOString(), written: options.write, expired },
                null,
                2,
              )
            : describe(source.name, expired, options.write),
        );
      } finally {
        await source.close();
      }
    });
}

function describe(catalog: string, expired: readonly ExpiredBranch[], written: boolean): string {
  if (expired.length === 0) return `nothing to reap in ${catalog}`;
  const lines = expired.map(
    (e) =>
      `${e.project} ${e.branch} (${e.stage} ${e.slug}): last build ${e.lastBuildAt}, ttl ${e.ttl}, expired ${e.expiredAt}`,
  );
  const verdict = written
    ? `removed ${expired.length} branch(es) from ${catalog}; the next reconcile of the staging stack deletes their environments`
    : `${expired.length} branch(es) past their TTL; run with --write to remove them from ${catalog}`;
  return [...lines, verdict].join("\n");
}
