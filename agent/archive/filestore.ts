import { lstat, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export interface FilestoreFile {
  /** Path relative to the filestore, with `/` separators. */
  path: string;
  absolute: string;
  bytes: number;
  mtime: Date;
}

/**
 * Files of an Odoo filestore (`<checksum[:2]>/<checksum>`, plus whatever modules put there), in a stable
 * order. Symbolic links are skipped: a backup holds the filestore's own files, never what a link points to.
 */
export async function listFilestore(root: string): Promise<FilestoreFile[]> {
  const files: FilestoreFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      if (entry.isDirectory()) await walk(absolute);
      else if (entry.isFile()) {
        const s = await lstat(absolute);
        files.push({
          path: relative(root, absolute).split(sep).join("/"),
          absolute,
          bytes: s.size,
          mtime: s.mtime,
        });
      }
    }
  };
  await walk(root);
  return files;
}

/** A zip entry name for the filestore that cannot escape its directory when extracted. */
export function safeFilestorePath(entryName: string): string | undefined {
  if (!entryName.startsWith("filestore/")) return undefined;
  const rest = entryName.slice("filestore/".length);
  if (rest === "" || rest.endsWith("/")) return undefined;
  const parts = rest.split("/");
  if (parts.some((p) => p === "" || p === "." || p === ".." || p.includes("\\") || p.includes("\0")))
    return undefined;
  return rest;
}
