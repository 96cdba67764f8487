import * as pulumi from "@pulumi/pulumi";
import type { BackupSource } from "../model/plan/database-env.ts";
import {
  BACKUP_READERS_OUTPUT,
  PRODUCTION_OUTPUT,
  type ProductionIdentity,
} from "../model/plan/production-identity.ts";

/**
 * Production's identity and the staging stack's read-only backup key, from the prod stack. The names
 * are derived the same way on both sides, so the derived ones stand in until prod has exported them.
 */
export function readProduction(
  prodStack: pulumi.StackReference | undefined,
  project: string,
  derived: ProductionIdentity,
): { identity: pulumi.Output<ProductionIdentity>; backupSource: pulumi.Output<BackupSource> } {
  type Key = { accessKey: string; secretKey: string };
  const identity = prodStack
    ? prodStack
        .getOutput(PRODUCTION_OUTPUT)
        .apply((all) => (all as Record<string, ProductionIdentity> | undefined)?.[project] ?? derived)
    : pulumi.output(derived);
  const reader: pulumi.Output<Key | undefined> = prodStack
    ? prodStack
        .getOutput(BACKUP_READERS_OUTPUT)
        .apply((all) => (all as Record<string, Key> | undefined)?.[project])
    : pulumi.output(undefined);
  const backupSource = pulumi.all([identity, reader]).apply(([id, key]) => ({
    bucket: id.backupBucket,
    prefix: id.backupPrefix,
    endpoint: id.backupEndpoint,
    // Without the prod stack's key the clone step fails at deploy time, loudly, before Odoo starts.
    accessKey: key?.accessKey ?? "",
    secretKey: key?.secretKey ?? "",
  }));
  return { identity, backupSource: pulumi.secret(backupSource) };
}
