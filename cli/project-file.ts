import { existsSync } from "node:fs";
import { join } from "node:path";
import { type LoadedProject, listProjectFiles, loadProjects } from "../model/input/loader.ts";
import type { Problem } from "../model/problem.ts";
import { UsageError } from "./io.ts";

/**
 * `projects/<name>.yaml` (or `.yml`) under `root` — or under `$ODOOOPS_PROJECTS_DIR`, the same
 * override the Pulumi program reads (index.ts) — ; a usage error naming the projects that exist.
 */
export function findProjectFile(root: string, name: string): string {
  const directory = join(root, process.env.ODOOOPS_PROJECTS_DIR ?? "projects");
  for (const extension of [".yaml", ".yml"]) {
    const file = join(directory, `${name}${extension}`);
    if (existsSync(file)) return file;
  }
  const known = existsSync(directory)
    ? listProjectFiles(directory).map((f) => f.replace(/^.*\//, "").replace(/\.ya?ml$/, ""))
    : [];
  throw new UsageError(
    `no project "${name}": ${join(directory, `${name}.yaml`)} does not exist` +
      (known.length > 0 ? ` (projects: ${known.join(", ")})` : ""),
  );
}

/** Loads one project file with the same checks as `odooops validate`. */
export function loadProjectFile(file: string): { loaded?: LoadedProject; problems: Problem[] } {
  const result = loadProjects([file]);
  return { loaded: result.projects[0], problems: result.problems };
}
