import { execFileSync } from "node:child_process";
import { basename, dirname } from "node:path";
import { parse } from "yaml";
import { UsageError } from "../../io.ts";

/** One commit of a project file's history and the production image it pinned. */
export interface PinnedImage {
  commit: string;
  date: string;
  subject: string;
  /** environments.production.image as that commit wrote it; undefined when unreadable. */
  image: string | undefined;
}

const FIELD = "\u001f";

/** git in the file's directory, so the file is addressed relative to it wherever the repo root is. */
function git(file: string, args: readonly string[]): string {
  try {
    return execFileSync("git", ["-C", dirname(file), ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
    throw new UsageError(`git ${args[0]} failed for ${file}: ${stderr || String(error)}`);
  }
}

/**
 * Refuses a file that is not committed or has uncommitted changes: a rollback is a change of its own,
 * computed from history, and must never mix with or overwrite someone's unfinished edit.
 */
export function assertCommittedAndClean(file: string): void {
  const name = basename(file);
  const inside = (() => {
    try {
      return git(file, ["rev-parse", "--is-inside-work-tree"]).trim() === "true";
    } catch {
      return false;
    }
  })();
  if (!inside) throw new UsageError(`${file} is not in a Git repository; rollback reads the pin's history`);
  if (git(file, ["ls-files", "--", name]).trim() === "")
    throw new UsageError(`${file} is not committed; rollback restores a pin from its Git history`);
  if (git(file, ["status", "--porcelain", "--", name]).trim() !== "")
    throw new UsageError(
      `${file} has uncommitted changes; commit or discard them first so the rollback is a change of its own`,
    );
}

/** The production image each commit that touched the file pinned, newest first. */
export function productionImageHistory(file: string): PinnedImage[] {
  const name = basename(file);
  const log = git(file, ["log", `--format=%H${FIELD}%cI${FIELD}%s`, "--", name]);
  return log
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const [commit = "", date = "", subject = ""] = line.split(FIELD);
      return { commit, date, subject, image: imageAt(file, commit, name) };
    });
}

function imageAt(file: string, commit: string, name: string): string | undefined {
  try {
    const document = parse(git(file, ["show", `${commit}:./${name}`])) as {
      environments?: { production?: { image?: unknown } };
    } | null;
    const image = document?.environments?.production?.image;
    return typeof image === "string" ? image : undefined;
  } catch {
    // An old commit may hold YAML that no longer parses; it simply pins nothing we can restore.
    return undefined;
  }
}
