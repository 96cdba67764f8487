import type { Command } from "commander";
import { loadCatalogFile } from "../../model/catalog-loader.ts";
import { loadProjects } from "../../model/loader.ts";
import { formatProblem, type Problem } from "../../model/problem.ts";
import { REGISTRY, registryProblems } from "../../model/registry.ts";
import { formatOption, jsonAlias } from "../format.ts";
import { EXIT } from "../io.ts";
import type { CommandContext } from "../main.ts";
import { noProjectsLine, projectFilesOrDefault, projectsDirOption } from "../project-files.ts";
import { formatViolation, projectRuleViolations } from "../validate/project-rules.ts";

export function printProblems(context: CommandContext, problems: readonly Problem[]): void {
  for (const problem of problems) context.io.err(formatProblem(problem));
  const files = new Set(problems.map((p) => p.file)).size;
  context.io.err(`${problems.length} problem(s) in ${files} file(s); nothing was planned or changed.`);
}

export function registerValidate(program: Command, context: CommandContext): void {
  program
    .command("validate")
    .description("Check project files (default: projects/*.yaml) and, with --catalog, a build catalog")
    .argument("[files...]", "project files")
    .addOption(projectsDirOption())
    .option("--catalog <file>", "also check a build catalog file")
    .option(
      "--policies",
      "also judge the files by the policy pack's project-file rules (exit 1 on mandatory)",
    )
    .addOption(formatOption())
    .addOption(jsonAlias())
    .action(
      async (
        files: string[],
        options: { projects: string; catalog?: string; policies?: boolean; format: string },
      ) => {
        const projectFiles = projectFilesOrDefault(files, options.projects);
        const loaded = loadProjects(projectFiles);
        const problems = [...loaded.problems];
        if (options.catalog) problems.push(...loadCatalogFile(options.catalog).problems);
        // The governance registry ships with the code, but a broken one must never pass silently.
        for (const message of registryProblems(REGISTRY))
          problems.push({ file: "model/personas.ts", line: 1, col: 1, path: "", message });
        if (problems.length > 0) {
          if (options.format === "json") context.io.out(JSON.stringify({ ok: false, problems }, null, 2));
          printProblems(context, problems);
          context.exit.code = EXIT.invalidInput;
          return;
        }
        const violations = options.policies ? await projectRuleViolations(loaded.projects) : [];
        const refused = new Set(violations.filter((v) => v.level === "mandatory").map((v) => v.project));
        if (refused.size > 0) context.exit.code = EXIT.violations;
        if (options.format === "json") {
          const projects = loaded.projects.map(({ file, project }) => ({ file, project: project.name }));
          const result = options.policies
            ? { ok: refused.size === 0, projects, violations }
            : { ok: true, projects };
          context.io.out(JSON.stringify(result, null, 2));
          return;
        }
        if (projectFiles.length === 0) context.io.out(noProjectsLine(options.projects, "validate"));
        for (const violation of violations) context.io.err(formatViolation(violation));
        for (const { file, project } of loaded.projects)
          if (!refused.has(project.name))
            context.io.out(
              `ok ${file}: ${project.name} (${project.branches.length} branch rules, repo ${project.repo})`,
            );
      },
    );
}
