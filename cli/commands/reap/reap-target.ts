import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { extname, isAbsolute, join } from "node:path";
import { parseDocument } from "yaml";
import { CONTROL_PLANE_SOURCE, catalogSource } from "../../../controlplane/catalog-source.ts";
import { controlPlaneConfigFromEnv, openControlPlane } from "../../../controlplane/connection.ts";
import { ControlPlaneError } from "../../../controlplane/errors.ts";
import type { Catalog } from "../../../model/input/catalog.ts";
import { loadCatalogFile } from "../../../model/input/catalog-loader.ts";
import { readStackFile } from "../../../model/input/stack-file.ts";
import type { ExpiredBranch } from "../../../model/plan/reaper.ts";
import type { Problem } from "../../../model/problem.ts";
import { UsageError } from "../../io.ts";

/** Where the reaper reads the live branches, and how it takes a branch out of them. */
export interface CatalogSource {
  name: string;
  catalog: Catalog;
  remove(expired: readonly ExpiredBranch[]): Promise<void>;
  close(): Promise<void>;
}

export interface SourceOptions {
  catalog?: string | undefined;
  root: string;
  stack: string;
  projects: string[];
}

/**
 * The catalog the plan reads (controlplane/catalog-source.ts decides which, for both): `--catalog <file>`
 * first; else the control plane when the environment configures one (the source of truth in
 * production: closing the environment there is what the next reconcile acts on); else the stack's
 * catalog file. The reaper also writes to it, which is why it is opened here rather than read.
 */
export async function openCatalogSource(options: SourceOptions): Promise<CatalogSource | Problem[]> {
  const source = catalogSource(options.catalog, undefined);
  if (source === CONTROL_PLANE_SOURCE) {
    const configured = controlPlaneConfigFromEnv();
    if (configured.problem !== undefined) throw new UsageError(configured.problem);
    return controlPlaneSource(configured, options.projects);
  }
  return fileSource(source ?? stackCatalog(options.root, options.stack));
}

async function controlPlaneSource(
  configured: ReturnType<typeof controlPlaneConfigFromEnv>,
  projects: string[],
): Promise<CatalogSource> {
  const controlPlane = openControlPlane(configured.config!, undefined);
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      await controlPlane.close().catch(() => undefined);
      if (error instanceof ControlPlaneError) throw new UsageError(`control plane: ${error.describe()}`);
      throw error;
    }
  };
  const catalog = await guard(() => controlPlane.catalog(projects));
  return {
    name: "the control plane",
    catalog,
    remove: (expired) =>
      guard(async () => {
        for (const e of expired)
          await controlPlane.closeEnvironment({ project: e.project, branch: e.branch });
      }),
    close: () => controlPlane.close(),
  };
}

function fileSource(file: string): CatalogSource | Problem[] {
  const read = loadCatalogFile(file);
  if (!read.catalog) return read.problems;
  return {
    name: file,
    catalog: read.catalog,
    remove: async (expired) => removeFromCatalogFile(file, expired),
    close: async () => undefined,
  };
}

function stackCatalog(root: string, stack: string): string {
  const read = readStackFile(root, stack);
  if (!read.settings?.catalog)
    throw new UsageError(
      `no control plane is configured and the ${stack} stack names no build catalog (odooops:catalog); pass --catalog <file>`,
    );
  return isAbsolute(read.settings.catalog) ? read.settings.catalog : join(root, read.settings.catalog);
}

/**
 * Removes the expired branches and replaces the file in one rename, so a failure leaves the old catalog
 * whole. YAML keeps its comments; JSON is rewritten with two-space indentation.
 */
function removeFromCatalogFile(file: string, expired: readonly ExpiredBranch[]): void {
  const document = parseDocument(readFileSync(file, "utf8"));
  const byProject = new Map<string, Set<string>>();
  for (const e of expired) byProject.set(e.project, (byProject.get(e.project) ?? new Set()).add(e.branch));
  for (const [project, branches] of byProject) {
    const path = ["projects", project, "branches"];
    const count = (document.getIn(path) as { items: unknown[] } | undefined)?.items.length ?? 0;
    for (let index = count - 1; index >= 0; index--) {
      const name = document.getIn([...path, index, "name"]);
      if (typeof name === "string" && branches.has(name)) document.deleteIn([...path, index]);
    }
  }
  const text =
    extname(file) === ".json" ? `${JSON.stringify(document.toJS(), null, 2)}\n` : document.toString();
  const temporary = `${file}.reap-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
