import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { parseProject } from "../../../model/input/loader.ts";
import type { CommandContext } from "../../context.ts";
import { UsageError } from "../../io.ts";
import { findProjectFile } from "../../project-file.ts";
import { type SessionOptions, withControlPlane, withSessionOptions } from "../control-plane/session.ts";
import { replaceProductionImage } from "../rollback/edit.ts";
import { releaseRef } from "./command.ts";

/**
 * `odooops release promote <project> <release>`: pins the approved release's image as production's in
 * projects/<project>.yaml (only that scalar changes), ready to commit as the promotion pull request. The
 * control plane says which image the release is; a release not approved is refused before any change.
 */
export function registerPromote(release: Command, context: CommandContext): void {
  withSessionOptions(
    release
      .command("promote")
      .description("Pin an approved release's image as production's in projects/<project>.yaml")
      .argument("<project>", "project name")
      .argument("<release>", "release name")
      .option("--root <dir>", "directory with projects/", "."),
  ).action(async (project: string, name: string, options: SessionOptions & { root: string }) => {
    const ref = releaseRef(project, name);
    const file = findProjectFile(options.root, ref.project);
    const found = await withControlPlane(context, options, (cp) => cp.releaseStatus(ref));
    if (!found) return;
    const status = found.result;
    if (status.status !== "approved")
      throw new UsageError(
        `release ${ref.release} is ${status.status}: only an approved release is promoted` +
          (status.status === "candidate" ? ` (odooops release approve ${ref.project} ${ref.release})` : ""),
      );
    const original = readFileSync(file, "utf8");
    const changed = replaceProductionImage(original, status.build.image);
    if (!parseProject(file, changed).loaded)
      throw new UsageError(`the promoted ${file} would not validate; nothing was changed`);
    if (changed !== original) {
      const temporary = `${file}.promote-${process.pid}`;
      writeFileSync(temporary, changed);
      renameSync(temporary, file); // never half a project file
    }
    context.io.out(
      [
        changed === original
          ? `${file} already pins ${status.build.image}`
          : `promotion of ${ref.release} prepared in ${file}: production image ${status.build.image}`,
        "Next: commit it on a branch and open a pull request; CI checks the release's gates in the plan.",
        `  git switch -c promote/${ref.project}-${ref.release}`,
        `  git commit -m "Promote ${ref.project} ${ref.release} (build ${status.build.id})" -- ${file}`,
      ].join("\n"),
    );
  });
}
