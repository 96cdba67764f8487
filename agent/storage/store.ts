import type { Readable } from "node:stream";
import { AgentInputError } from "../errors.ts";

/** An object in a backup location, named relative to the location's prefix. */
export interface StoredObject {
  name: string;
  bytes: number;
  modified: Date;
}

/** Where backups live: an S3-compatible bucket and prefix, or a local directory (manual backups, tests). */
export interface BackupStore {
  readonly location: string;
  list(): Promise<StoredObject[]>;
  /** Writes `name` from a stream; the object appears only once it is complete. */
  upload(name: string, body: Readable): Promise<void>;
  putText(name: string, text: string): Promise<void>;
  getText(name: string): Promise<string | undefined>;
  exists(name: string): Promise<boolean>;
  /** Streams `name`; rejects when it does not exist. */
  read(name: string): Promise<{ body: Readable; bytes: number }>;
  remove(names: readonly string[]): Promise<void>;
  /** Fails, naming the location, when it cannot be written to (a missing bucket, refused credentials). */
  ensureWritable(): Promise<void>;
}

export type Location = { kind: "s3"; bucket: string; prefix: string } | { kind: "dir"; path: string };

/** `s3://bucket/prefix/` or a directory path (`file:///path` or plain). */
export function parseLocation(text: string): Location {
  if (text.startsWith("s3://")) {
    const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
    if (!m)
      throw new AgentInputError(
        `"${text}" is not an s3://bucket/prefix/ location (bucket names: 3–63 lowercase letters, digits, dots, hyphens)`,
      );
    const prefix = (m[2] ?? "").replace(/^\/+/, "");
    return { kind: "s3", bucket: m[1]!, prefix: prefix && !prefix.endsWith("/") ? `${prefix}/` : prefix };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(text) && !text.startsWith("file://"))
    throw new AgentInputError(`"${text}": backups live in s3://bucket/prefix/ or in a local directory`);
  return { kind: "dir", path: text.startsWith("file://") ? new URL(text).pathname : text };
}
