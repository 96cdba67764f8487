import type { Stage } from "../stages.ts";

/**
 * DigitalOcean tags: what a resource belongs to, readable by people, billing reports and policies.
 * DigitalOcean allows letters, digits, `:`, `-` and `_`, up to 255 characters.
 */
export const TAG_PATTERN = /^[A-Za-z0-9:_-]{1,255}$/;

/** The branch tag of the project's shared dev host, which serves many branches; no slug contains `_`. */
export const SHARED_HOST_BRANCH = "_shared";

export interface TaggedHost {
  project: string;
  stage: Stage;
  /** Environment slug, or SHARED_HOST_BRANCH for the shared dev host. */
  branch: string;
  /** `YYYY-MM-DD` when the host may be reaped, or "never". */
  expires: string;
}

/** The tag a stage's firewall applies to: DigitalOcean firewalls select droplets by tag. */
export function firewallTag(project: string, stage: Stage): string {
  return `odooops:firewall:${project}-${stage}`;
}

export function hostTags(host: TaggedHost): string[] {
  return [
    `odooops:project:${host.project}`,
    `odooops:stage:${host.stage}`,
    `odooops:branch:${host.branch}`,
    `odooops:expires:${host.expires}`,
    firewallTag(host.project, host.stage),
  ];
}

/** Tags of resources that belong to a project and stage but to no single host (volumes, clusters). */
export function resourceTags(project: string, stage: Stage): string[] {
  return [`odooops:project:${project}`, `odooops:stage:${stage}`];
}

interface Expiring {
  stage: Stage;
  ttl: string | undefined;
  expiresAt: string | undefined;
  kept: boolean;
}

/** When an environment may be reaped: never for production, kept branches and `ttl: never`. */
export function expiryOf(env: Expiring): string {
  if (env.stage === "production" || env.kept || env.ttl === "never" || !env.expiresAt) return "never";
  return env.expiresAt.slice(0, 10);
}

/** A shared host lives as long as its longest-lived preview. */
export function latestExpiry(expiries: readonly string[]): string {
  if (expiries.length === 0 || expiries.includes("never")) return "never";
  return [...expiries].sort().at(-1)!;
}
