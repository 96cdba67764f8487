import { readFileSync } from "node:fs";

/**
 * Where input files come from: the working tree, or (for `odooops plan --base <ref>`) a commit. Paths
 * stay the same in both, so the two plans differ only by content. A missing file throws with code ENOENT.
 */
export type ReadText = (path: string) => string;

/** A file that exists but cannot be read as text: its message says why, in words (no EISDIR). */
export class UnreadableFile extends Error {
  override name = "UnreadableFile";
}

const REASONS: Readonly<Record<string, string>> = {
  EISDIR: "it is a directory, not a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the path is too long",
  ENOTDIR: "a part of the path is not a directory",
};

/** Text files hold no NUL byte; one in the first few kilobytes means the file is binary. */
const BINARY_PROBE = 8000;

export const readFromDisk: ReadText = (path) => {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = REASONS[(error as NodeJS.ErrnoException).code ?? ""];
    if (reason) throw new UnreadableFile(reason);
    throw error;
  }
  if (bytes.subarray(0, BINARY_PROBE).includes(0)) throw new UnreadableFile("it is a binary file, not text");
  return bytes.toString("utf8");
};

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
}

/** Why a file could not be read, for a one-line problem; unexpected errors keep their message. */
export function readFailure(error: unknown): string {
  if (isMissing(error)) return "file not found";
  return error instanceof Error ? error.message : String(error);
}
