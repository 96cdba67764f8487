import { matchesPattern } from "../glob.ts";
import { resolveBranch } from "../input/branches.ts";
import { type Catalog, EMPTY_PROJECT_CATALOG, type ProjectCatalog, type Release } from "../input/catalog.ts";
import type { LoadedProject } from "../input/loader.ts";
import type { Project } from "../input/schema/project.ts";
import type { StackSettings } from "../input/stack-settings.ts";
import { databaseName } from "../naming.ts";
import type { DatabaseSize, DropletSize } from "../prices.ts";
import type { PathSegment } from "../problem.ts";
import { projectSources } from "../rules/sources.ts";
import type { Stage } from "../stages.ts";

/**
 * The environment plan: everything a component needs to know, decided here as plain data so tests of
 * `model/` see every decision (style: awsx's subnet distributor). Components only materialize it.
 */
export type DatabasePlan =
  | { kind: "cluster"; size: DatabaseSize; nodes: number; name: string }
  | {
      kind: "clone";
      strategy: "fork" | "dump";
      mask: string;
      neutralize: boolean;
      /** A fresh database per build: no database is reused across builds. */
      name: string;
      buildId: string;
      size: DatabaseSize;
    }
  | { kind: "branch"; name: string; demoData: boolean; size: DatabaseSize };

export interface HostPlan {
  size: DropletSize;
  /** shared: the project's one dev host; dedicated: a host of this environment's own. */
  placement: "dedicated" | "shared";
  volumeGb: number;
  sshSources: string[];
}

export interface EnvironmentPlan {
  project: string;
  stage: Stage;
  branch: string;
  slug: string;
  hostnames: string[];
  ttl: string | undefined;
  expiresAt: string | undefined;
  kept: boolean;
  image: string;
  buildId: string | undefined;
  commit: string | undefined;
  odooVersion: string;
  workers: number;
  host: HostPlan;
  database: DatabasePlan;
  mail: { catcher: boolean; smtpEgress: "blocked" | "allowed" };
  /**
   * Production only: the release record (gates passed, exceptions) of the image being deployed, from
   * the build catalog / control plane; undefined when none exists, which the release-gate policy refuses.
   */
  release: Release | undefined;
  /** `file:line:col` of the YAML that decided each fact, keyed by fact name. */
  sources: Record<string, string>;
}

export interface ProjectPlan {
  project: Project;
  file: string;
  region: string;
  environments: EnvironmentPlan[];
  /** The shared dev host, when the project has development previews placed on it. */
  sharedDevHost: HostPlan | undefined;
  /** `file:line:col` of each project-level field a policy may name (model/rules/sources.ts). */
  sources: Record<string, string>;
  where(path: readonly PathSegment[]): string;
}

export interface PlatformPlan {
  settings: StackSettings;
  projects: ProjectPlan[];
  /** Plan problems that are not YAML mistakes, e.g. two live branches with the same slug. */
  problems: string[];
}

export function selectProjects(projects: readonly LoadedProject[], selector: readonly string[] | undefined) {
  if (!selector) return [...projects];
  return projects.filter((p) => selector.some((pattern) => matchesPattern(pattern, p.project.name)));
}

export function planPlatform(
  loaded: readonly LoadedProject[],
  catalog: Catalog,
  settings: StackSettings,
): PlatformPlan {
  const problems: string[] = [];
  const projects = selectProjects(loaded, settings.projects).map((p) => {
    const plan = planProject(p, catalog.projects[p.project.name] ?? EMPTY_PROJECT_CATALOG, settings);
    problems.push(...slugCollisions(plan));
    return plan;
  });
  return { settings, projects, problems };
}

function planProject(loaded: LoadedProject, catalog: ProjectCatalog, settings: StackSettings): ProjectPlan {
  const { project, where } = loaded;
  const environments: EnvironmentPlan[] = [];
  const owns = (stage: Stage) => settings.stages.includes(stage);
  const production = project.branches.find((r) => r.stage === "production")!.match;

  if (owns("production")) environments.push(productionPlan(loaded, production, catalog, settings));
  for (const live of catalog.branches) {
    const resolved = resolveBranch(project, live.name, {
      platformDomain: settings.platformDomain,
      lastActivity: new Date(live.build.builtAt),
    });
    if (!resolved || resolved.stage === "production" || !owns(resolved.stage)) continue;
    const env = project.environments[resolved.stage];
    const rulePath = ["branches", resolved.ruleIndex];
    const base = {
      project: project.name,
      stage: resolved.stage,
      branch: live.name,
      slug: resolved.slug,
      hostnames: resolved.hostnames,
      ttl: resolved.ttl,
      expiresAt: resolved.expiresAt?.toISOString(),
      kept: resolved.kept,
      image: live.build.image,
      buildId: live.build.id,
      commit: live.build.commit,
      odooVersion: project.odoo.version,
      workers: env.workers,
      mail: { catcher: env.mailCatcher, smtpEgress: env.smtpEgress },
      release: undefined,
    };
    const envPath = ["environments", resolved.stage];
    const sources = {
      rule: where(rulePath),
      ttl: where([...rulePath, "ttl"]),
      mailCatcher: where([...envPath, "mailCatcher"]),
      smtpEgress: where([...envPath, "smtpEgress"]),
      sshSources: where([...envPath, "sshSources"]),
      size: where([...envPath, "size"]),
    };
    if (resolved.stage === "staging") {
      const staging = project.environments.staging;
      environments.push({
        ...base,
        host: {
          size: staging.size,
          placement: "dedicated",
          volumeGb: staging.volumeGb,
          sshSources: staging.sshSources,
        },
        database: {
          kind: "clone",
          ...staging.clone,
          name: databaseName(project.name, resolved.slug, live.build.id),
          buildId: live.build.id,
          size: staging.database.size,
        },
        sources: {
          ...sources,
          clone: where([...envPath, "clone"]),
          mask: where([...envPath, "clone", "mask"]),
          neutralize: where([...envPath, "clone", "neutralize"]),
        },
      });
    } else {
      const dev = project.environments.development;
      environments.push({
        ...base,
        host: {
          size: dev.size,
          placement: dev.placement,
          volumeGb: dev.volumeGb,
          sshSources: dev.sshSources,
        },
        database: {
          kind: "branch",
          name: databaseName(project.name, resolved.slug),
          demoData: dev.demoData,
          size: dev.database.size,
        },
        sources,
      });
    }
  }
  const dev = project.environments.development;
  const sharedDevHost = environments.some((e) => e.stage === "development" && e.host.placement === "shared")
    ? { size: dev.size, placement: "shared" as const, volumeGb: dev.volumeGb, sshSources: dev.sshSources }
    : undefined;
  return {
    project,
    file: loaded.file,
    region: project.region ?? settings.region,
    environments,
    sharedDevHost,
    sources: projectSources(project, where),
    where,
  };
}

function productionPlan(
  loaded: LoadedProject,
  branch: string,
  catalog: ProjectCatalog,
  settings: StackSettings,
): EnvironmentPlan {
  const { project, where } = loaded;
  const prod = project.environments.production;
  const resolved = resolveBranch(project, branch, { platformDomain: settings.platformDomain })!;
  const envPath = ["environments", "production"];
  return {
    project: project.name,
    stage: "production",
    branch,
    slug: resolved.slug,
    hostnames: resolved.hostnames,
    ttl: undefined,
    expiresAt: undefined,
    kept: false,
    image: prod.image,
    buildId: undefined,
    commit: undefined,
    odooVersion: project.odoo.version,
    workers: prod.workers,
    host: { size: prod.size, placement: "dedicated", volumeGb: prod.volumeGb, sshSources: prod.sshSources },
    database: {
      kind: "cluster",
      size: prod.database.size,
      nodes: prod.database.nodes,
      name: databaseName(project.name),
    },
    mail: { catcher: false, smtpEgress: "allowed" },
    release: catalog.releases.find((r) => r.image === prod.image),
    sources: {
      rule: where(["branches", resolved.ruleIndex]),
      image: where([...envPath, "image"]),
      database: where([...envPath, "database"]),
      sshSources: where([...envPath, "sshSources"]),
      retention: where(["retention"]),
      size: where([...envPath, "size"]),
    },
  };
}

/** Two live branches of one project must never share an environment (hash suffixes make this rare). */
function slugCollisions(plan: ProjectPlan): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const env of plan.environments) {
    const key = `${env.stage}/${env.slug}`;
    const other = seen.get(key);
    if (other)
      problems.push(
        `${plan.file}: branches "${other}" and "${env.branch}" both map to environment ${env.slug}; rename one`,
      );
    else seen.set(key, env.branch);
  }
  return problems;
}
