import { z } from "zod";
import { EXCEPTION_STATUSES, GATE_IDS } from "./gates.ts";
import { branchName, imageReference, projectName } from "./schema/primitives.ts";

/**
 * The build catalog: which branches are live and their latest successful build, and the release
 * records (gates, exceptions) of production images. The control plane is its source of truth; the
 * offline plan reads the same shape from a JSON file (examples/catalog.example.json).
 */
const timestamp = z.iso.datetime({
  offset: true,
  error: "must be an ISO 8601 time, e.g. 2026-11-20T08:00:00Z",
});

export const buildSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, { error: "must be a short build id such as b-1042" }),
  image: imageReference,
  commit: z.string().regex(/^[0-9a-f]{7,40}$/, { error: "must be a git commit SHA" }),
  builtAt: timestamp,
  checks: z.record(z.string(), z.enum(["success", "failure", "pending"])).default({}),
});

export const liveBranchSchema = z.strictObject({
  name: branchName,
  build: buildSchema,
});

const exceptionSchema = z.strictObject({
  id: z.string().min(1),
  type: z.string().min(1),
  rationale: z.string().min(1),
  requestedBy: z.string().min(1),
  approver: z.string().min(1).optional(),
  risk: z.string().min(1),
  expiresAt: timestamp,
  gates: z.array(z.enum(GATE_IDS)).min(1),
  reviewRequired: z.boolean(),
  status: z.enum(EXCEPTION_STATUSES),
});

export const releaseSchema = z.strictObject({
  id: z.string().min(1),
  image: imageReference,
  passed: z.array(z.enum(GATE_IDS)).default([]),
  exceptions: z.array(exceptionSchema).default([]),
});

export const catalogSchema = z.strictObject({
  projects: z
    .record(
      projectName,
      z.strictObject({
        branches: z.array(liveBranchSchema).default([]),
        releases: z.array(releaseSchema).default([]),
      }),
    )
    .default({}),
});

export type Catalog = z.output<typeof catalogSchema>;
export type LiveBranch = z.output<typeof liveBranchSchema>;
export type Build = z.output<typeof buildSchema>;
export type Release = z.output<typeof releaseSchema>;
export type ProjectCatalog = Catalog["projects"][string];

export const EMPTY_PROJECT_CATALOG: ProjectCatalog = { branches: [], releases: [] };
