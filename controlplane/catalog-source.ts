import type { Catalog } from "../model/input/catalog.ts";
import { loadCatalogFile } from "../model/input/catalog-loader.ts";
import type { Problem } from "../model/problem.ts";
import { controlPlaneConfigFromEnv, openControlPlane } from "./connection.ts";
import { ControlPlaneError, redactUrl } from "./errors.ts";

/**
 * Where the offline plan reads the build catalog (live branches, builds, release gates): a file named on
 * the command line wins; else the control plane when the environment configures one; else the stack's
 * catalog file. The control plane answers in the same `Catalog` shape as the file.
 */
export const CONTROL_PLANE_SOURCE = "control plane";

export function catalogSource(
  explicitFile: string | undefined,
  stackFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (explicitFile) return explicitFile;
  const found = controlPlaneConfigFromEnv(env);
  return found.config || found.problem ? CONTROL_PLANE_SOURCE : stackFile;
}

export async function readCatalog(
  source: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ catalog?: Catalog; problems: Problem[] }> {
  if (source !== CONTROL_PLANE_SOURCE) return loadCatalogFile(source);
  const found = controlPlaneConfigFromEnv(env);
  const file = found.config ? `control plane ${redactUrl(found.config.url)}` : "environment";
  const problem = (message: string) => ({ problems: [{ file, line: 1, col: 1, path: "", message }] });
  if (!found.config) return problem(found.problem ?? "no control plane configured");
  try {
    const controlPlane = openControlPlane(
      found.config,
      found.config.kind === "pg" ? env.ODOOOPS_ACTOR : undefined,
    );
    try {
      // Drift and preview hold a catalog key (ODOOOPS_CATALOG_KEY) with the anon key: read-only, catalog only.
      const key = env.ODOOOPS_CATALOG_KEY;
      const catalog = key ? await controlPlane.catalogWithKey(key) : await controlPlane.catalog();
      return { catalog, problems: [] };
    } finally {
      await controlPlane.close();
    }
  } catch (error) {
    if (error instanceof ControlPlaneError)
      return problem(`cannot read the build catalog: ${error.describe()}`);
    throw error;
  }
}
