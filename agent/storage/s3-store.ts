import type { Readable } from "node:stream";
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { AgentError } from "../errors.ts";
import type { BackupStore, StoredObject } from "./store.ts";

/**
 * Credentials come from the standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) and
 * never from arguments. The endpoint of an S3-compatible service (DigitalOcean Spaces, MinIO, s3rver)
 * from ODOOOPS_S3_ENDPOINT or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL.
 */
export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  // The SDK warns on stderr about Node versions it will drop in a future release; the agent's stderr is
  // for its own progress and errors, and the platform pins the Node version it runs on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const endpoint = env.ODOOOPS_S3_ENDPOINT ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const local = endpoint ? /^https?:\/\/(localhost|127\.|\[::1\])/.test(endpoint) : false;
  return new S3Client({
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    ...(endpoint ? { endpoint } : {}),
    // Servers on loopback have no per-bucket DNS names; path-style addressing reaches them.
    forcePathStyle: env.ODOOOPS_S3_PATH_STYLE === "1" || local,
  });
}

/**
 * Multipart parts of 16 MiB (ODOOOPS_S3_PART_SIZE bytes, at least S3's 5 MiB minimum), four in flight:
 * large zips stream without being held in memory.
 */
function partSize(): number {
  const configured = Number(process.env.ODOOOPS_S3_PART_SIZE);
  return Number.isInteger(configured) && configured >= 5 * 1024 * 1024 ? configured : 16 * 1024 * 1024;
}

export class S3Store implements BackupStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  private key(name: string): string {
    return `${this.prefix}${name}`;
  }

  async list(): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key)
          out.push({
            name: o.Key.slice(this.prefix.length),
            bytes: o.Size ?? 0,
            modified: o.LastModified ?? new Date(0),
          });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /** HeadBucket: the one request that tells a missing bucket from a missing object. */
  async ensureWritable(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      if (status === 404 || e.name === "NotFound" || e.name === "NoSuchBucket")
        throw new AgentError(
          `storage: bucket "${this.bucket}" does not exist (${this.location}); nothing was written`,
        );
      if (status === 403 || status === 401)
        throw new AgentError(
          `storage: access to bucket "${this.bucket}" was refused (check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY); nothing was written`,
        );
      throw error;
    }
  }

  async upload(name: string, body: Readable): Promise<void> {
    // A failed multipart upload is aborted: nothing half-written ever becomes visible under `name`.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.key(name), Body: body, ContentType: "application/zip" },
      partSize: partSize(),
      queueSize: 4,
      leavePartsOnError: false,
    });
    body.once("error", () => void upload.abort().catch(() => undefined));
    await upload.done();
  }

  async putText(name: string, text: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(name),
        Body: text,
        ContentType: "application/json",
      }),
    );
  }

  async getText(name: string): Promise<string | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key(name) }),
      );
      return await object.Body?.transformToString();
    } catch (error) {
      if ((error as { name?: string }).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async exists(name: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
      return true;
    } catch (error) {
      const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === "NotFound" || e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404)
        return false;
      throw error;
    }
  }

  async read(name: string): Promise<{ body: Readable; bytes: number }> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(name) }));
    if (!object.Body) throw new AgentError(`${this.location}${name} has no content`);
    return { body: object.Body as Readable, bytes: object.ContentLength ?? 0 };
  }

  async remove(names: readonly string[]): Promise<void> {
    for (let i = 0; i < names.length; i += 1000) {
      const batch = names.slice(i, i + 1000);
      const result = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((n) => ({ Key: this.key(n) })), Quiet: true },
        }),
      );
      if (result.Errors?.length)
        throw new AgentError(
          `could not delete ${result.Errors.map((e) => `${e.Key} (${e.Message})`).join(", ")}`,
        );
    }
  }
}
