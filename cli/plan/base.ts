import { execFileSync } from "node:child_process";
import { relative } from "node:path";
import type { ReadText } from "../../model/read-text.ts";
import { UsageError } from "../io.ts";

function git(args: string[]): string {
  return execFileSync("git", args, {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * The plan's inputs as they were at commit `ref`: a reader that answers the same paths from that commit
 * (so both plans name the same files), and the project files to plan. Without explicit files, every
 * project file under `projectsDir` at `ref` counts, so a project the change deletes shows as removed.
 */
export function inputsAtCommit(
  ref: string,
  files: readonly string[] | undefined,
  projectsDir = "projects",
): { read: ReadText; files: string[] } {
  try {
    git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`--base ${ref}: no such commit in this repository`);
  }
  const listed =
    files ??
    git(["ls-tree", "--name-only", ref, `${projectsDir.replace(/\/+$/, "")}/`])
      .split("\n")
      .filter((p) => /\.ya?ml$/.test(p));
  // One git process for every project file, not one per file (a repository has hundreds).
  const known = readAllAtCommit(ref, listed);
  const read: ReadText = (path) => {
    const text = known.get(path);
    if (text !== undefined) return text;
    try {
      return git(["show", `${ref}:./${relative(".", path)}`]);
    } catch {
      throw Object.assign(new Error(`${path} does not exist at ${ref}`), { code: "ENOENT" });
    }
  };
  return {
    read,
    files: listed.filter((path) => {
      try {
        read(path);
        return true;
      } catch {
        return false;
      }
    }),
  };
}

/** The text of each path that exists at `ref` (`git cat-file --batch`); missing paths are left out. */
function readAllAtCommit(ref: string, paths: readonly string[]): Map<string, string> {
  const texts = new Map<string, string>();
  if (paths.length === 0) return texts;
  const prefix = git(["rev-parse", "--show-prefix"]).trim();
  const out = execFileSync("git", ["cat-file", "--batch"], {
    input: paths.map((p) => `${ref}:${prefix}${relative(".", p)}\n`).join(""),
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let at = 0;
  for (const path of paths) {
    const end = out.indexOf(0x0a, at);
    const header = out.subarray(at, end).toString("utf8");
    at = end + 1;
    const found = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!found) continue; // "<name> missing": no body follows
    const size = Number(found[2]);
    if (found[1] === "blob") texts.set(path, out.subarray(at, at + size).toString("utf8"));
    at += size + 1;
  }
  return texts;
}
