import { DirStore } from "./dir-store.ts";
import { type BackupStore, parseLocation } from "./store.ts";

/**
 * The store a location names. The S3 client (the AWS SDK, the heaviest package the CLI has) is loaded
 * only for an s3:// location, so commands that never touch S3 do not pay for it at start-up.
 */
export async function openStore(location: string): Promise<BackupStore> {
  const parsed = parseLocation(location);
  if (parsed.kind !== "s3") return new DirStore(parsed.path);
  const { S3Store, s3ClientFromEnv } = await import("./s3-store.ts");
  return new S3Store(s3ClientFromEnv(), parsed.bucket, parsed.prefix);
}
