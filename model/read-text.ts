import { readFileSync } from "node:fs";

/**
 * Where input files come from: the working tree, or (for `odooops plan --base <ref>`) a commit. Paths
 * stay the same in both, so the two plans differ only by content. A missing file throws with code ENOENT.
 */
export type ReadText = (path: string) => string;

export const readFromDisk: ReadText = (path) => readFileSync(path, "utf8");

export function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
}
