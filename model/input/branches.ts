import { parseDuration } from "../duration.ts";
import { matchesPattern } from "../glob.ts";
import { branchSlug, hostname } from "../naming.ts";
import type { Stage } from "../stages.ts";
import type { BranchRule } from "./schema/branch-rules.ts";
import type { Project } from "./schema/project.ts";

/** TTL a non-production rule gets when it names none. */
export const DEFAULT_TTL: Readonly<Record<Exclude<Stage, "production">, string>> = {
  development: "7d",
  staging: "30d",
};

export interface ResolvedBranch {
  branch: string;
  stage: Stage;
  /** Index of the rule that matched, for error messages that point at the YAML. */
  ruleIndex: number;
  /** Environment slug: a DNS label, stable and collision-free (see branchSlug). */
  slug: string;
  /** Host names Odoo answers on; production also answers on the project's custom domains. */
  hostnames: string[];
  /** The TTL in force: a duration, "never", or undefined for production. */
  ttl: string | undefined;
  /** When the environment expires, if it does: last activity + TTL. */
  expiresAt: Date | undefined;
  /** Listed under `keep`: lives past its TTL. */
  kept: boolean;
}

/** The first rule that matches the branch (first match wins), with its index. */
export function matchRule(
  rules: readonly BranchRule[],
  branch: string,
): { rule: BranchRule; index: number } | undefined {
  const index = rules.findIndex((rule) => matchesPattern(rule.match, branch));
  return index < 0 ? undefined : { rule: rules[index]!, index };
}

export function productionBranch(project: Pick<Project, "branches">): string {
  return project.branches.find((r) => r.stage === "production")!.match;
}

export function platformHostnames(
  projectName: string,
  stage: Stage,
  slug: string,
  platformDomain: string,
): string[] {
  if (stage === "production") return [hostname(projectName, platformDomain)];
  const zone = stage === "staging" ? "staging" : "dev";
  return [hostname(slug, projectName, zone, platformDomain)];
}

export interface ResolveOptions {
  platformDomain: string;
  /** When the branch last had a build; the TTL counts from here. */
  lastActivity?: Date | undefined;
}

/** Where a branch goes: stage, slug, hostnames and expiry; undefined when no rule matches it. */
export function resolveBranch(
  project: Pick<Project, "name" | "branches" | "domains" | "keep">,
  branch: string,
  options: ResolveOptions,
): ResolvedBranch | undefined {
  const matched = matchRule(project.branches, branch);
  if (!matched) return undefined;
  const { rule, index } = matched;
  const stage = rule.stage;
  const slug = stage === "production" ? "production" : branchSlug(branch);
  const hostnames = platformHostnames(project.name, stage, slug, options.platformDomain);
  if (stage === "production") {
    return {
      branch,
      stage,
      ruleIndex: index,
      slug,
      hostnames: [...hostnames, ...project.domains],
      ttl: undefined,
      expiresAt: undefined,
      kept: false,
    };
  }
  const ttl = rule.ttl ?? DEFAULT_TTL[stage];
  const kept = project.keep.includes(branch);
  const ttlMs = parseDuration(ttl);
  const expiresAt =
    kept || ttlMs === undefined || !options.lastActivity
      ? undefined
      : new Date(options.lastActivity.getTime() + ttlMs);
  return { branch, stage, ruleIndex: index, slug, hostnames, ttl, expiresAt, kept };
}
