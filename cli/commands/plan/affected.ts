import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, extname, relative, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { readStackFile } from "../../../model/input/stack-file.ts";
import type { PlanScope } from "./report.ts";

/**
 * Which projects a change can affect, from the files it touches against a base commit: a project file
 * affects its project, a catalog file the projects whose entries differ, and anything else the plan
 * reads (stack config, components, model, policies, CLI, dependencies) affects every project.
 * Skipping the rest is safe because every project file is still validated together (names and host
 * names across projects), and the remaining policies judge one project at a time.
 */
/** Paths the plan never reads: a change to them alone affects no project. */
const NOT_READ_BY_THE_PLAN = [
  /\.md$/,
  /^test\//,
  /^bench\//,
  /^\.github\//,
  /^docs\//,
  /^projects\/schema\.json$/,
];

function git(root: string, args: string[]): string {
  return execFileSync("git", ["-C", root, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Paths the working tree changes against `ref`, relative to the repository root: tracked, and new. */
function changedPaths(root: string, ref: string): { tracked: string[]; untracked: string[] } {
  const list = (args: string[]) => git(root, args).split("\0").filter(Boolean).sort();
  return {
    tracked: list(["diff", "--name-only", "-z", ref, "--"]),
    untracked: list(["ls-files", "--others", "--exclude-standard", "-z"]),
  };
}

function catalogEntries(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as { projects?: Record<string, unknown> };
    return parsed.projects ?? {};
  } catch {
    return undefined;
  }
}

/** Project names whose catalog entry differs between `ref` and the working tree; undefined: unreadable. */
function changedCatalogProjects(root: string, ref: string, path: string): string[] | undefined {
  const read = (f: () => string) => {
    try {
      return f();
    } catch {
      return undefined;
    }
  };
  const before = catalogEntries(read(() => git(root, ["show", `${ref}:${path}`])));
  const after = catalogEntries(read(() => readFileSync(resolve(root, path), "utf8")));
  if (!before || !after) return undefined;
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => !isDeepStrictEqual(before[n], after[n]));
}

const projectNameOf = (path: string) => basename(path, extname(path));
const isProjectFile = (path: string) => /^projects\/[^/]+\.ya?ml$/.test(path);

/** The catalog files the stacks read (`--catalog`, else each stack file's `odooops:catalog`). */
export function stackCatalogs(
  options: { catalog?: string | undefined; root: string },
  stacks: readonly string[],
): string[] {
  if (options.catalog) return [options.catalog];
  return stacks.flatMap((stack) => readStackFile(options.root, stack).settings?.catalog ?? []);
}

/**
 * The scope of a plan against `ref`: every project when something shared changed, else the projects
 * named by the changed project files and catalog entries. Paths are as the plan names them (relative to
 * the working directory); `projectFiles` lists the files of both commits.
 */
export function scopeOfChange(
  ref: string,
  projectFiles: readonly string[],
  catalogFiles: readonly string[],
): PlanScope {
  const root = git(".", ["rev-parse", "--show-toplevel"]).trim();
  const fromRoot = (p: string) => relative(root, resolve(p));
  const projectPaths = new Set(projectFiles.map(fromRoot));
  const catalogPaths = new Set(catalogFiles.map(fromRoot));
  const known = [...new Set(projectFiles.map(projectNameOf))].sort();
  const everything = (reason: string): PlanScope => ({
    all: reason,
    planned: known.map((project) => ({ project, reason })),
    skipped: [],
  });
  const affected = new Map<string, string>();
  const { tracked, untracked } = changedPaths(root, ref);
  // A new file counts when it is a project or catalog file; other untracked files are not part of
  // the change (in CI: the plan's own output files, created by the shell before odooops starts).
  const isInput = (path: string) => catalogPaths.has(path) || projectPaths.has(path) || isProjectFile(path);
  for (const path of [...tracked, ...untracked.filter(isInput)]) {
    if (catalogPaths.has(path)) {
      const names = changedCatalogProjects(root, ref, path);
      if (!names) return everything(`${path} changed and does not read as a catalog`);
      for (const name of names) if (!affected.has(name)) affected.set(name, `its entry in ${path} changed`);
    } else if (projectPaths.has(path) || isProjectFile(path)) {
      affected.set(projectNameOf(path), `${path} changed`);
    } else if (!NOT_READ_BY_THE_PLAN.some((pattern) => pattern.test(path))) {
      return everything(`${path} changed (stack config or shared code)`);
    }
  }
  return {
    planned: [...affected].map(([project, reason]) => ({ project, reason })),
    skipped: known
      .filter((project) => !affected.has(project))
      .map((project) => ({ project, reason: `its file and catalog entry are unchanged since ${ref}` })),
  };
}
