import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { Command } from "commander";
import { controlPlaneConfigFromEnv } from "../../../controlplane/connection.ts";
import { parseProject } from "../../../model/input/loader.ts";
import { readStackFile } from "../../../model/input/stack-file.ts";
import type { CommandContext } from "../../context.ts";
import { formatOption } from "../../format.ts";
import { EXIT, UsageError } from "../../io.ts";
import { findProjectFile, loadProjectFile } from "../../project-file.ts";
import { actorOption, withControlPlane } from "../control-plane/session.ts";
import type { PlanOutcome } from "../plan/plan.ts";
import { renderMarkdown } from "../plan/render/markdown.ts";
import { renderText } from "../plan/render/text.ts";
import { printProblems } from "../validate/command.ts";
import { replaceProductionImage } from "./edit.ts";
import { assertCommittedAndClean, productionImageHistory } from "./history.ts";
import { restoreStep } from "./restore-step.ts";
import { chooseRollbackTarget, imageDigest } from "./select.ts";

interface RollbackOptions {
  to: string;
  reason?: string;
  as?: string;
  restoreDb?: string;
  root: string;
  catalog?: string;
  format: "text" | "markdown";
}

/**
 * One-command rollback: pin the production image the project ran before (from the Git history of its
 * file), show the prod stack's plan with that change, and name the data agent step that restores the
 * database when the release being undone changed it. The result is a working-tree change to review and
 * merge like any promotion; production applies it behind the `production` environment's reviewers.
 */
export function registerRollback(program: Command, context: CommandContext): void {
  program
    .command("rollback")
    .description("Prepare the change that restores the previous production image of a project, with its plan")
    .argument("<project>", "project name (projects/<project>.yaml)")
    .option("--to <digest|previous>", "the digest to restore (must be an earlier pin)", "previous")
    .option("--restore-db <backup>", "also print the data agent step restoring this backup")
    .option("--root <dir>", "directory with projects/ and the stack files", ".")
    .option("--catalog <file>", "build catalog for the plan (default: the prod stack's odooops:catalog)")
    .option(
      "--reason <text>",
      "why: recorded with who and what in the control plane (required when one is configured)",
    )
    .addOption(actorOption())
    .addOption(formatOption(["text", "markdown"]))
    .action(async (name: string, options: RollbackOptions) => {
      const file = findProjectFile(options.root, name);
      const recorded = controlPlaneConfigFromEnv().config !== undefined;
      if (recorded && !options.reason)
        throw new UsageError("--reason is required: the control plane records who rolled back what, and why");
      const { loaded, problems } = loadProjectFile(file);
      if (!loaded) {
        printProblems(context, problems);
        context.exit.code = EXIT.invalidInput;
        return;
      }
      const restore = options.restoreDb === undefined ? undefined : restoreStep(name, options.restoreDb);
      assertCommittedAndClean(file);
      const currentImage = loaded.project.environments.production.image;
      const target = chooseRollbackTarget(productionImageHistory(file), currentImage, options.to, file);
      if (!target.ok) throw new UsageError(`cannot roll back ${name}: ${target.reason}`);

      const original = readFileSync(file, "utf8");
      const changed = replaceProductionImage(original, target.image);
      const check = parseProject(file, changed);
      if (!check.loaded)
        throw new UsageError(`the rolled-back ${file} would not validate; nothing was changed`);
      replaceFile(file, changed);

      let plan: PlanOutcome;
      try {
        // Loaded here: the plan pulls in the Pulumi SDK, which the other commands never need.
        const { runPlan } = await import("../plan/plan.ts");
        plan = await runPlan({
          root: options.root,
          files: [file],
          stacks: ["prod"],
          catalogFile: options.catalog ?? prodCatalog(options.root),
        });
      } catch (error) {
        replaceFile(file, original);
        throw error;
      }
      if (!plan.ok) {
        replaceFile(file, original);
        if (plan.problems.length > 0) printProblems(context, plan.problems);
        throw new UsageError(
          `the plan of the rollback failed; ${file} was left unchanged\n${plan.messages.join("\n")}`,
        );
      }

      if (recorded) {
        const reason = options.reason ?? "";
        const record = await withControlPlane(context, options, (cp) =>
          cp.recordRollback({ project: name, from: currentImage, to: target.image, reason }),
        );
        if (!record) {
          replaceFile(file, original); // refused: nothing half-applied
          return;
        }
      }
      const from = target.current;
      const to = target.pinnedBy;
      const digest = imageDigest(target.image)!;
      context.io.out(
        [
          `Rollback of ${name} prepared in ${file}:`,
          `  production image ${currentImage}${from ? ` (pinned by ${from.commit.slice(0, 12)} on ${from.date})` : ""}`,
          `  restored to      ${target.image} (pinned by ${to.commit.slice(0, 12)} on ${to.date}: ${to.subject})`,
          "",
          options.format === "markdown" ? renderMarkdown(plan.report) : renderText(plan.report),
          "",
          "Next: commit it on a branch and open a pull request; production changes after a release manager",
          "approves the `production` environment of the deploy workflow.",
          `  git switch -c rollback/${name}-${digest.slice(0, 12)}`,
          `  git commit -m "Roll back ${name} to sha256:${digest.slice(0, 12)}" -- ${file}`,
          ...(restore ? ["", restore.explanation, `  ${restore.command}`] : []),
          recorded
            ? "Recorded in the control plane (audit: rollback.prepared)."
            : "Not recorded: no control plane configured.",
        ].join("\n"),
      );
      const mandatory = plan.report.violations.filter((v) => v.level === "mandatory");
      context.exit.code = mandatory.length > 0 ? EXIT.violations : EXIT.ok;
    });
}

function prodCatalog(root: string): string | undefined {
  const catalog = readStackFile(root, "prod").settings?.catalog;
  if (!catalog) return undefined;
  return isAbsolute(catalog) ? catalog : join(root, catalog);
}

/** Write-then-rename, so an interrupted write never leaves half a project file. */
function replaceFile(file: string, text: string): void {
  const temporary = `${file}.rollback-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
