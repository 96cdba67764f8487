import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BackupStore, StoredObject } from "./store.ts";

/** Backups in a local directory; writes go to a temporary name and are renamed when complete. */
export class DirStore implements BackupStore {
  constructor(private readonly root: string) {}

  get location(): string {
    return `${this.root.replace(/\/+$/, "")}/`;
  }

  async ensureWritable(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  private path(name: string): string {
    return join(this.root, ...name.split("/"));
  }

  async list(): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && !entry.name.endsWith(".partial")) {
          const s = await stat(full);
          out.push({
            name: relative(this.root, full).split(sep).join("/"),
            bytes: s.size,
            modified: s.mtime,
          });
        }
      }
    };
    await walk(this.root);
    return out;
  }

  async upload(name: string, body: Readable): Promise<void> {
    const target = this.path(name);
    await mkdir(dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    try {
      await pipeline(body, createWriteStream(partial));
      await rename(partial, target);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async putText(name: string, text: string): Promise<void> {
    const target = this.path(name);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(`${target}.partial`, text);
    await rename(`${target}.partial`, target);
  }

  async getText(name: string): Promise<string | undefined> {
    return readFile(this.path(name), "utf8").catch(() => undefined);
  }

  async exists(name: string): Promise<boolean> {
    return stat(this.path(name)).then(
      () => true,
      () => false,
    );
  }

  async read(name: string): Promise<{ body: Readable; bytes: number }> {
    const path = this.path(name);
    const s = await stat(path);
    return { body: createReadStream(path), bytes: s.size };
  }

  async remove(names: readonly string[]): Promise<void> {
    for (const name of names) await rm(this.path(name), { force: true });
  }
}
