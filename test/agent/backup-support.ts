import { createHash } from "node:crypto";
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { expect } from "vitest";
import { listFilestore } from "../../agent/archive/filestore.ts";
import { withDatabase } from "../../agent/pg/connection.ts";
import { openStore } from "../../agent/storage/open.ts";
import {
  agent,
  backupArgv,
  envVar,
  type OdooDb,
  odooDatabase,
  query,
  type S3Server,
  s3Server,
  tempDir,
} from "./support.ts";

/** sha256 of every file in a filestore, by path, to compare two filestores. */
export async function filestoreDigest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await listFilestore(dir))
    out[f.path] = createHash("sha256").update(readFileSync(f.absolute)).digest("hex");
  return out;
}

export interface BackupOutput {
  record: { name: string; zip: { sha256: string; bytes: number } };
  evidence: Record<string, unknown>;
}

export interface ProductionWithBackups {
  /** The bucket backups go to. */
  s3: S3Server;
  /** Production: an Odoo database with 300 customers and a filestore of 12 attachments. */
  prod: OdooDb;
  /** Name of the variable holding production's database URL. */
  prodEnv: string;
  /** Where filestores live, production's and the restored databases' side by side. */
  files: ReturnType<typeof tempDir>;
  /** Production's filestore. */
  filestore: string;
  /** The server's maintenance database URL. */
  server: string;
  /** Databases dropped by close(). */
  cleanup: string[];
  /** A target database URL on the same server, in a fresh variable; the database is dropped by close(). */
  targetEnv(name: string): string;
  /** `odooops agent backup` of production to the bucket, expected to succeed; its JSON output. */
  backup(...extra: string[]): Promise<BackupOutput>;
  /** `odooops agent restore` of production's newest backup into the database of variable `env`. */
  restoreNewest(env: string, ...extra: string[]): ReturnType<typeof agent>;
  /** Downloads backup `name` (zip and record) into `dir`; the zip's path. */
  download(name: string, dir: string): Promise<string>;
  close(): Promise<void>;
}

/** Production with a filestore, an S3 bucket for its backups, and helpers to back it up and restore it. */
export async function productionWithBackups(prefix: string): Promise<ProductionWithBackups> {
  delete process.env.ODOOOPS_BACKUP_URL;
  delete process.env.ODOOOPS_FILESTORE_DIR;
  const files = tempDir("filestores");
  const [s3, prod] = await Promise.all([
    s3Server(),
    odooDatabase(prefix, { partners: 300, filestoreRoot: files.path, attachments: 12 }),
  ]);
  const filestore = join(files.path, prod.name);
  const prodEnv = envVar(prod.url, "PROD");
  const server = withDatabase(prod.url, "postgres");
  const cleanup: string[] = [];
  return {
    s3,
    prod,
    prodEnv,
    files,
    filestore,
    server,
    cleanup,
    targetEnv: (name) => {
      cleanup.push(name);
      return envVar(withDatabase(prod.url, name), "TARGET");
    },
    backup: async (...extra) => {
      const run = await agent(...backupArgv(prodEnv, s3.location(), filestore, ...extra));
      expect(run.err).toBe("");
      expect(run.code).toBe(0);
      return JSON.parse(run.out) as BackupOutput;
    },
    restoreNewest: (env, ...extra) =>
      agent(
        "restore",
        "--db-url-env",
        env,
        "--location",
        s3.location(),
        "--of-database",
        prod.name,
        ...extra,
      ),
    download: async (name, dir) => {
      const store = await openStore(s3.location());
      const path = join(dir, "backup.zip");
      await pipeline((await store.read(`${name}.zip`)).body, createWriteStream(path));
      writeFileSync(join(dir, "backup.json"), (await store.getText(`${name}.json`))!);
      return path;
    },
    close: async () => {
      await Promise.all([
        ...cleanup.map((name) => query(server, `drop database if exists "${name}" with (force)`)),
        prod.drop(),
        s3.close(),
      ]);
      files.remove();
    },
  };
}
