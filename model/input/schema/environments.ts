import { z } from "zod";
import { DATABASE_SIZES, DROPLET_SIZES } from "../../prices.ts";
import { cidr, imageReference, uniqueList } from "./primitives.ts";

const dropletSize = z.enum(DROPLET_SIZES);
const databaseSize = z.enum(DATABASE_SIZES);

/** Shared by every stage: who may reach the host over SSH, and the filestore volume. */
const hostFields = {
  sshSources: uniqueList(cidr)
    .default([])
    .describe("CIDR blocks allowed to reach the host on port 22; empty means no SSH at all"),
  volumeGb: z.int().min(5).max(16384).describe("Block-storage volume for the filestore, in GiB"),
};

/** Odoo workers (0 = threaded mode, fine for previews; production wants prefork workers). */
const workers = z.int().min(0).max(64);

/**
 * Non-production safety switches. They exist so an admin can state an intent in the open; the policy
 * pack refuses the unsafe values unless an approved exception covers them.
 */
const nonProductionSafety = {
  mailCatcher: z.boolean().default(true).describe("Run Mailpit and point Odoo's SMTP at it"),
  smtpEgress: z.enum(["blocked", "allowed"]).default("blocked").describe("Outbound SMTP ports from the host"),
};

export const productionEnvironment = z.strictObject({
  size: dropletSize.default("s-2vcpu-4gb"),
  workers: workers.default(4),
  image: imageReference.describe("The production image, pinned by digest; promotion is a PR that changes it"),
  database: z
    .strictObject({
      size: databaseSize.default("db-s-1vcpu-2gb"),
      nodes: z.int().min(1).max(3).default(1).describe("1 primary plus standby nodes"),
    })
    .prefault({}),
  maintenance: z
    .strictObject({
      day: z
        .enum(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
        .default("sunday"),
      hour: z
        .string()
        .regex(/^([01][0-9]|2[0-3]):00$/, { error: "must be a whole hour in UTC, e.g. 03:00" })
        .default("03:00"),
    })
    .prefault({}),
  sshSources: hostFields.sshSources,
  volumeGb: hostFields.volumeGb.default(50),
});

export const MASK_PROFILES = ["default", "strict"] as const;

export const stagingEnvironment = z.strictObject({
  size: dropletSize.default("s-2vcpu-4gb"),
  workers: workers.default(2),
  clone: z
    .strictObject({
      strategy: z
        .enum(["fork", "dump"])
        .default("dump")
        .describe(
          "fork: new cluster restored from production's backup; dump: logical copy into a staging cluster",
        ),
      mask: z
        .enum([...MASK_PROFILES, "none"])
        .default("default")
        .describe("Masking profile applied to the production copy before Odoo starts"),
      neutralize: z
        .boolean()
        .default(true)
        .describe("Run Odoo's neutralization on the copy before Odoo starts"),
    })
    .prefault({}),
  database: z.strictObject({ size: databaseSize.default("db-s-1vcpu-2gb") }).prefault({}),
  sshSources: hostFields.sshSources,
  volumeGb: hostFields.volumeGb.default(20),
  ...nonProductionSafety,
});

export const developmentEnvironment = z.strictObject({
  size: dropletSize
    .default("s-2vcpu-4gb")
    .describe("Size of the shared dev host (or of each dedicated host)"),
  workers: workers.default(0),
  placement: z
    .enum(["shared", "dedicated"])
    .default("shared")
    .describe("shared: all previews of the project on one dev host; dedicated: a host per preview"),
  demoData: z.boolean().default(true).describe("Initialise each preview database with Odoo demo data"),
  database: z.strictObject({ size: databaseSize.default("db-s-1vcpu-1gb") }).prefault({}),
  sshSources: hostFields.sshSources,
  volumeGb: hostFields.volumeGb.default(10),
  ...nonProductionSafety,
});

export const environments = z.strictObject({
  production: productionEnvironment,
  staging: stagingEnvironment.prefault({}),
  development: developmentEnvironment.prefault({}),
});
