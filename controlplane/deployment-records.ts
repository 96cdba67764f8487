import { z } from "zod";
import { STAGES } from "../model/stages.ts";

/** What the deploy workflow reports after `pulumi up`: an environment's running image, commit and run. */
export interface DeploymentRunInput {
  project: string;
  branch: string;
  image: string;
  /** The platform repository's commit that was deployed. */
  commit: string;
  runUrl: string;
}

/** `recorded: false` when the environment already ran that build: a run that changed nothing. */
export const deploymentRunRecord = z.object({
  project: z.string(),
  branch: z.string(),
  stage: z.enum(STAGES),
  build: z.string(),
  release: z.string().nullable(),
  deployedBy: z.string(),
  recorded: z.boolean(),
});
export type DeploymentRunRecord = z.output<typeof deploymentRunRecord>;

export interface IncidentInput {
  project: string;
  branch: string;
  summary: string;
  details?: Record<string, unknown>;
}

export const incidentRecord = z.object({
  id: z.string(),
  project: z.string(),
  branch: z.string(),
  stage: z.enum(STAGES),
  summary: z.string(),
  deployment: z.string().nullable(),
  openedBy: z.string(),
  openedAt: z.string(),
});
export type IncidentRecord = z.output<typeof incidentRecord>;

/** `odooops rollback`: the production image left and restored, why, and the incident it answers. */
export const rollbackRecord = z.object({
  project: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string(),
  incident: z.string().nullable(),
  by: z.string(),
});
export type RollbackRecord = z.output<typeof rollbackRecord>;

/** A live non-production environment whose newest build is not deployed yet. */
export const pendingBuild = z.object({
  project: z.string(),
  branch: z.string(),
  stage: z.enum(STAGES),
  build: z.string(),
});
export type PendingBuild = z.output<typeof pendingBuild>;
