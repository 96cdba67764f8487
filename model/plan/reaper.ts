import { resolveBranch } from "../input/branches.ts";
import type { Catalog } from "../input/catalog.ts";
import type { Project } from "../input/schema/project.ts";
import type { Stage } from "../stages.ts";

/**
 * The TTL reaper's decision: which live branches of the build catalog have outlived their TTL and are
 * not kept. Expiry is the branch rule's TTL counted from the branch's latest build (resolveBranch), so
 * the reaper, the plan's `odooops:expires` tags and the TTL policy agree on every branch.
 */
export interface ExpiredBranch {
  project: string;
  branch: string;
  stage: Stage;
  slug: string;
  ttl: string;
  lastBuildAt: string;
  expiredAt: string;
}

export interface ReapOptions {
  now: Date;
  /** Stages to reap; the scheduled reaper takes development previews only. */
  stages: readonly Stage[];
}

export function expiredBranches(
  projects: readonly Project[],
  catalog: Catalog,
  options: ReapOptions,
): ExpiredBranch[] {
  const expired: ExpiredBranch[] = [];
  for (const project of projects) {
    for (const live of catalog.projects[project.name]?.branches ?? []) {
      // The platform domain only shapes host names, which the reaper never reads.
      const resolved = resolveBranch(project, live.name, {
        platformDomain: "reaper.invalid",
        lastActivity: new Date(live.build.builtAt),
      });
      if (!resolved || !options.stages.includes(resolved.stage)) continue;
      if (resolved.kept || !resolved.expiresAt || resolved.expiresAt > options.now) continue;
      expired.push({
        project: project.name,
        branch: live.name,
        stage: resolved.stage,
        slug: resolved.slug,
        ttl: resolved.ttl ?? "",
        lastBuildAt: live.build.builtAt,
        expiredAt: resolved.expiresAt.toISOString(),
      });
    }
  }
  return expired;
}
