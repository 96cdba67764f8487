import { DirStore } from "./dir-store.ts";
import { S3Store, s3ClientFromEnv } from "./s3-store.ts";
import { type BackupStore, parseLocation } from "./store.ts";

export function openStore(location: string): BackupStore {
  const parsed = parseLocation(location);
  return parsed.kind === "s3"
    ? new S3Store(s3ClientFromEnv(), parsed.bucket, parsed.prefix)
    : new DirStore(parsed.path);
}
