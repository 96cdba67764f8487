import { existsSync, statSync } from "node:fs";
import { Option } from "commander";
import { listProjectFiles } from "../model/loader.ts";
import { UsageError } from "./io.ts";

/** Where an admin's project files live; the repo's examples are elsewhere (examples/projects/). */
export const DEFAULT_PROJECTS_DIR = "projects";

/** `--projects <dir>`: the directory every command that reads project files takes them from. */
export function projectsDirOption(): Option {
  return new Option("--projects <dir>", "directory of project files (*.yaml)").default(DEFAULT_PROJECTS_DIR);
}

/**
 * The project files to read: those named on the command line, else every `*.yaml` of `directory`.
 * A missing directory is a usage error (one line), not a stack trace.
 */
export function projectFilesOrDefault(
  files: readonly string[],
  directory: string = DEFAULT_PROJECTS_DIR,
): string[] {
  if (files.length > 0) return [...files];
  if (!existsSync(directory) || !statSync(directory).isDirectory())
    throw new UsageError(`--projects ${directory}: no such directory (it holds the project files, *.yaml)`);
  return listProjectFiles(directory);
}

/** The one line a command prints when there is nothing to read: a fresh platform repo, not an error. */
export function noProjectsLine(directory: string, nothingTo: string): string {
  return `no project files in ${directory}/ (add ${directory}/<name>.yaml; examples: examples/projects/); nothing to ${nothingTo}`;
}
