import * as digitalocean from "@pulumi/digitalocean";
import * as pulumi from "@pulumi/pulumi";
import type { LifecycleRule } from "../model/data/backup-lifecycle.ts";

export interface BackupStorageArgs {
  bucket: string;
  region: string;
  lifecycle: LifecycleRule[];
}

/**
 * A project's backup bucket (Spaces): versioned, with lifecycle rules as a backstop behind the agent's
 * retention. Two keys: read-write for production's agent, read-only for staging clones (exported to the
 * staging stack as a secret).
 */
export class BackupStorage extends pulumi.ComponentResource {
  readonly bucket: digitalocean.SpacesBucket;
  readonly writer: pulumi.Output<{ accessKey: string; secretKey: string }>;
  readonly reader: pulumi.Output<{ accessKey: string; secretKey: string }>;

  constructor(name: string, args: BackupStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("odooops:backup:BackupStorage", name, args, opts);
    this.bucket = new digitalocean.SpacesBucket(
      `${name}-bucket`,
      {
        name: args.bucket,
        region: args.region,
        acl: "private",
        versioning: { enabled: true },
        lifecycleRules: args.lifecycle.map((rule) => ({
          id: rule.id,
          prefix: rule.prefix,
          enabled: true,
          expiration: rule.expirationDays ? { days: rule.expirationDays } : undefined,
          noncurrentVersionExpiration: rule.noncurrentVersionDays
            ? { days: rule.noncurrentVersionDays }
            : undefined,
          abortIncompleteMultipartUploadDays: rule.abortIncompleteUploadDays,
        })),
      },
      // Backups are what a lost production comes back from.
      { parent: this, protect: true },
    );
    const key = (role: string, permission: "readwrite" | "read") => {
      const k = new digitalocean.SpacesKey(
        `${name}-${role}-key`,
        { name: `${args.bucket}-${role}`, grants: [{ bucket: this.bucket.name, permission }] },
        { parent: this },
      );
      return pulumi.secret(
        pulumi.all([k.accessKey, k.secretKey]).apply(([accessKey, secretKey]) => ({ accessKey, secretKey })),
      );
    };
    this.writer = key("writer", "readwrite");
    this.reader = key("reader", "read");
    this.registerOutputs({});
  }
}
