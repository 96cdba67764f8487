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
 * project file under projects/ at `ref` counts, so a project the change deletes shows as removed.
 */
export function inputsAtCommit(
  ref: string,
  files: readonly string[] | undefined,
): { read: ReadText; files: string[] } {
  try {
    git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`--base ${ref}: no such commit in this repository`);
  }
  const read: ReadText = (path) => {
    try {
      return git(["show", `${ref}:./${relative(".", path)}`]);
    } catch {
      throw Object.assign(new Error(`${path} does not exist at ${ref}`), { code: "ENOENT" });
    }
  };
  const listed =
    files ??
    git(["ls-tree", "--name-only", ref, "projects/"])
      .split("\n")
      .filter((p) => /\.ya?ml$/.test(p));
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
