import { z } from "zod";
import { MEMBER_ROLES } from "../model/governance/personas.ts";

/** `ops.whoami()`: the signed-in user and their persona in each project. */
export const whoamiRecord = z.object({
  userId: z.string().nullable(),
  memberships: z.array(z.object({ project: z.string(), login: z.string(), role: z.enum(MEMBER_ROLES) })),
});
export type WhoamiRecord = z.output<typeof whoamiRecord>;

/** `ops.claim_memberships()`: the projects whose membership moved to the signed-in user. */
export const claimRecord = z.object({ githubId: z.number().nullable(), claimed: z.array(z.string()) });
export type ClaimRecord = z.output<typeof claimRecord>;

/** `ops.create_catalog_key`: the key appears this once; the database keeps its SHA-256. */
export const catalogKeyRecord = z.object({
  id: z.string(),
  label: z.string(),
  key: z.string().optional(),
  revokedAt: z.string().nullable().optional(),
});
export type CatalogKeyRecord = z.output<typeof catalogKeyRecord>;
