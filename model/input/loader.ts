import { readdirSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { formatPath, type PathSegment, type Problem } from "../problem.ts";
import { credentialIn } from "../rules/credentials.ts";
import { platformHostnames } from "./branches.ts";
import { type ReadText, readFailure, readFromDisk } from "./read-text.ts";
import { type Project, projectSchema } from "./schema/project.ts";
import { invisibleCharacter, invisibleCharacterFindings } from "./schema/visible-text.ts";
import { allowedKeysAt } from "./schema-keys.ts";
import { MAX_PROJECT_FILE_CHARS, YamlSource } from "./yaml-source.ts";
import { describeIssue } from "./zod-issues.ts";

export interface LoadedProject {
  file: string;
  project: Project;
  /** Line and column of a field path in the project file. */
  locate(path: readonly PathSegment[]): { line: number; col: number };
  /** `file:line:col` of a field path, for messages that point at the YAML. */
  where(path: readonly PathSegment[]): string;
}

export interface LoadResult {
  projects: LoadedProject[];
  problems: Problem[];
}

/** Validates one project file's text; all of its problems at once, each located. */
export function parseProject(file: string, text: string): { loaded?: LoadedProject; problems: Problem[] } {
  const source = new YamlSource(file, text, MAX_PROJECT_FILE_CHARS);
  const at = (path: readonly PathSegment[], message: string, preferKey = false): Problem => ({
    file,
    ...source.locate(path, preferKey),
    path: formatPath(path),
    message,
  });
  const read = source.toValue();
  const comments = source.commentProblems(commentProblem);
  if (read.problems.length > 0 || comments.length > 0)
    return { problems: sortProblems([...read.problems, ...comments]) };

  const input = read.value;
  const invisible = invisibleCharacterFindings(input);
  if (invisible.length > 0)
    return { problems: invisible.map((f) => at(f.path, f.message, f.message.startsWith("the key"))) };
  if (input === null || typeof input !== "object" || Array.isArray(input))
    return {
      problems: [at([], "a project file must be a mapping with at least name, repo and environments")],
    };

  const parsed = projectSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      describeIssue(issue, input, (path) => allowedKeysAt(projectSchema, path)).map((d) =>
        at(d.path, d.message, d.atKey),
      ),
    );
    return { problems: sortProblems(problems) };
  }

  const project = parsed.data;
  const expectedFile = `${project.name}.yaml`;
  if (basename(file) !== expectedFile && basename(file) !== `${project.name}.yml`)
    return {
      problems: [
        at(
          ["name"],
          `the project is named "${project.name}" but its file is ${basename(file)}; rename the file to ${expectedFile} or change name`,
        ),
      ],
    };
  const locate = (path: readonly PathSegment[]) => source.locate(path);
  const where = (path: readonly PathSegment[]) => {
    const { line, col } = locate(path);
    return `${file}:${line}:${col}`;
  };
  return { loaded: { file, project, locate, where }, problems: [] };
}

/**
 * A credential in a comment is as public as one in a value: comments travel in Git just the same. A
 * bidirectional control in a comment can make the lines around it read as something else ("Trojan
 * Source"), so comments are held to the same rule as names.
 */
export function commentProblem(comment: string): string | undefined {
  const credential = credentialIn(comment);
  if (credential)
    return `a comment ${credential}; comments are committed to Git like values: remove it, and revoke the credential since Git history keeps it`;
  const invisible = invisibleCharacter(comment);
  return invisible ? `a comment ${invisible}` : undefined;
}

/** The project files of a directory: every `*.yaml` / `*.yml`, sorted for stable output. */
export function listProjectFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(directory, name));
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}

export interface LoadOptions {
  /** The platform domain, to detect a custom domain that collides with another project's host name. */
  platformDomain?: string | undefined;
  /** Where file contents come from; the working tree by default. */
  read?: ReadText | undefined;
}

/** Loads and validates project files, then checks what no single file can: names and host names. */
export function loadProjects(files: readonly string[], options: LoadOptions = {}): LoadResult {
  const projects: LoadedProject[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = (options.read ?? readFromDisk)(file);
    } catch (error) {
      const reason = readFailure(error);
      problems.push({ file, line: 1, col: 1, path: "", message: `cannot read the file: ${reason}` });
      continue;
    }
    if (![".yaml", ".yml"].includes(extname(file))) {
      problems.push({
        file,
        line: 1,
        col: 1,
        path: "",
        message: "project files are YAML: name them projects/<name>.yaml",
      });
      continue;
    }
    const result = parseProject(file, text);
    problems.push(...result.problems);
    if (result.loaded) projects.push(result.loaded);
  }
  problems.push(...crossFileProblems(projects, options));
  return { projects, problems: sortProblems(problems) };
}

function crossFileProblems(projects: readonly LoadedProject[], options: LoadOptions): Problem[] {
  const problems: Problem[] = [];
  const problemAt = (p: LoadedProject, path: PathSegment[], message: string): Problem => ({
    file: p.file,
    ...p.locate(path),
    path: formatPath(path),
    message,
  });

  const byName = new Map<string, LoadedProject>();
  for (const p of projects) {
    const first = byName.get(p.project.name);
    if (first)
      problems.push(
        problemAt(
          p,
          ["name"],
          `project "${p.project.name}" is already defined in ${first.where(["name"])}; project names are unique`,
        ),
      );
    else byName.set(p.project.name, p);
  }

  const hosts = new Map<string, { owner: LoadedProject; where: string }>();
  for (const p of projects) {
    if (options.platformDomain)
      for (const host of platformHostnames(
        p.project.name,
        "production",
        "production",
        options.platformDomain,
      ))
        hosts.set(host, { owner: p, where: `${p.where(["name"])} (its platform host name)` });
  }
  for (const p of projects) {
    p.project.domains.forEach((domain, index) => {
      const taken = hosts.get(domain);
      if (taken && taken.owner !== p)
        problems.push(
          problemAt(
            p,
            ["domains", index],
            `"${domain}" is already served by project "${taken.owner.project.name}" (${taken.where}); each host name belongs to one project`,
          ),
        );
      else if (!taken) hosts.set(domain, { owner: p, where: p.where(["domains", index]) });
    });
  }
  return problems;
}
