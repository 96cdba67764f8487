import { z } from "zod";
import { MEMBER_ROLES, type MemberRole } from "../model/governance/personas.ts";
import type { Stage } from "../model/stages.ts";

/** What `ops.sync_projects` receives per project: the facts of projects/<name>.yaml, ids resolved. */
export interface ProjectSyncInput {
  name: string;
  repo: string;
  requiredChecks: string[];
  branchRules: { match: string; stage: Stage; ttl?: string | undefined }[];
  members: SyncedMember[];
}

export interface SyncedMember {
  githubId: number;
  login: string;
  role: MemberRole;
}

/** Per project, the logins the sync added, removed, or whose login or persona changed. */
export const projectSyncResult = z.object({
  project: z.string(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(z.string()),
});
export type ProjectSyncResult = z.output<typeof projectSyncResult>;

export const memberRole = z.enum(MEMBER_ROLES);
