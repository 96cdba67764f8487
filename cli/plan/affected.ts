import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, extname, relative, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { readStackFile } from "../../model/stack-file.ts";
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

/** Every path the working tree changes against `ref` (tracked and new), relative to the repository root. */
function changedPaths(root: string, ref: string): string[] {
  const tracked = git(root, ["diff", "--name-only", "-z", ref, "--"]).split("\0");
  const untracked = git(root, ["ls-files", "--others", "--exclude-standard", "-z"]).split("\0");
  return [...new Set([...tracked, ...untracked])].filter(Boolean).sort();
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
  for (const path of changedPaths(root, ref)) {
    if (catalogPaths.has(path)) {
      const names = changedCatalogProjects(root, ref, path);
      if (!names) return everything(`${path} changed and does not read as a catalog`);
      for (const name of names) if (!affected.has(name)) affected.set(name, `its entry in ${path} changed`);
    } else if (projectPaths.has(path) || /^projects\/[^/]+\.ya?ml$/.test(path)) {
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
