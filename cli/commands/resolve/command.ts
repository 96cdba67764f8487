import type { Command } from "commander";
import { resolveBranch } from "../../../model/input/branches.ts";
import { branchName } from "../../../model/input/schema/primitives.ts";
import { readStackFile } from "../../../model/input/stack-file.ts";
import type { CommandContext } from "../../context.ts";
import { formatOption, jsonAlias } from "../../format.ts";
import { EXIT, UsageError } from "../../io.ts";
import { findProjectFile, loadProjectFile } from "../../project-file.ts";
import { printProblems } from "../validate/command.ts";

type Format = "text" | "json" | "github";

/**
 * Where a branch of an app repo goes: its stage (which is also its GitHub environment), slug and URL.
 * The app-repo workflow asks this instead of re-implementing the branch rules.
 */
export function registerResolve(program: Command, context: CommandContext): void {
  program
    .command("resolve")
    .description("Show the stage, environment slug and URL a branch of a project's app repo gets")
    .argument("<project>", "project name (projects/<project>.yaml)")
    .argument("<branch>", "branch name in the app repo")
    .option("--root <dir>", "directory with projects/ and the stack files", ".")
    // github: key=value lines for $GITHUB_OUTPUT
    .addOption(formatOption(["text", "json", "github"]))
    .addOption(jsonAlias())
    .action((project: string, branch: string, options: { root: string; format: Format }) => {
      if (!branchName.safeParse(branch).success)
        throw new UsageError(`"${branch}" is not a valid git branch name`);
      const { loaded, problems } = loadProjectFile(findProjectFile(options.root, project));
      const stackFile = readStackFile(options.root, "staging");
      if (!loaded || stackFile.problems.length > 0) {
        printProblems(context, [...problems, ...stackFile.problems]);
        context.exit.code = EXIT.invalidInput;
        return;
      }
      const platformDomain = stackFile.settings!.platformDomain;
      const resolved = resolveBranch(loaded.project, branch, { platformDomain });
      const result = {
        project,
        branch,
        stage: resolved?.stage ?? "",
        slug: resolved?.slug ?? "",
        url: resolved ? `https://${resolved.hostnames[0]}` : "",
        ttl: resolved?.ttl ?? "",
      };
      if (options.format === "json") context.io.out(JSON.stringify(result, null, 2));
      else if (options.format === "github")
        context.io.out(
          Object.entries(result)
            .map(([key, value]) => `${key}=${value}`)
            .join("\n"),
        );
      else
        context.io.out(
          resolved
            ? `${branch} → ${result.stage} environment ${result.slug} at ${result.url}`
            : `${branch} matches no branch rule of ${project}: it is built and tested, but gets no environment`,
        );
    });
}
