import { type Command, Option } from "commander";
import { STACKS } from "../../model/stack-file.ts";
import { EXIT, UsageError } from "../io.ts";
import type { CommandContext } from "../main.ts";
import { runPlan } from "../plan/plan.ts";
import { renderJson } from "../render/json.ts";
import { renderMarkdown } from "../render/markdown.ts";
import { renderText } from "../render/text.ts";
import { printProblems, projectFilesOrDefault } from "./validate.ts";

const RENDERERS = { text: renderText, markdown: renderMarkdown, json: renderJson } as const;

export function registerPlan(program: Command, context: CommandContext): void {
  program
    .command("plan")
    .description(
      "Show what the program would create, per project and environment, with policy results; offline",
    )
    .argument("[files...]", "project files (default: projects/*.yaml)")
    .addOption(new Option("--stack <stack>", "stack to plan").choices([...STACKS, "all"]).default("all"))
    .addOption(
      new Option("--format <format>", "output format").choices(Object.keys(RENDERERS)).default("text"),
    )
    .option("--catalog <file>", "build catalog (live branches, builds, release gates)")
    .option("--root <dir>", "directory with Pulumi.yaml and the stack files", ".")
    .action(
      async (
        files: string[],
        options: { stack: string; format: keyof typeof RENDERERS; catalog?: string; root: string },
      ) => {
        const outcome = await runPlan({
          root: options.root,
          files: projectFilesOrDefault(files),
          stacks: options.stack === "all" ? STACKS : [options.stack],
          catalogFile: options.catalog,
        });
        if (!outcome.ok) {
          if (outcome.problems.length > 0) printProblems(context, outcome.problems);
          if (outcome.messages.length > 0) throw new UsageError(outcome.messages.join("\n"));
          context.exit.code = EXIT.invalidInput;
          return;
        }
        context.io.out(RENDERERS[options.format](outcome.report));
        const mandatory = outcome.report.violations.filter((v) => v.level === "mandatory");
        context.exit.code = mandatory.length > 0 ? EXIT.violations : EXIT.ok;
      },
    );
}
