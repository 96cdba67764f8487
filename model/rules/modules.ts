import type { BundleName } from "../bundles.ts";
import { ODOO_VERSIONS } from "../data/odoo-personal-fields.ts";
import type { LoadedProject } from "../input/loader.ts";
import type { Project } from "../input/schema/project.ts";
import { type BundleModule, resolveBundles } from "../plan/bundle-modules.ts";
import type { Problem } from "../problem.ts";
import type { RuleFinding } from "./finding.ts";

/**
 * A bundle is a promise that its modules install: a project may only name bundles whose OCA modules (and
 * the OCA modules they depend on) are ported to its Odoo version, as read from the OCA repositories'
 * branches (model/plan/upgrade/oca-ports.json). Otherwise the first build fails on a missing module,
 * or worse, the app repository pins a branch where the module is still marked not installable.
 */

/** The versions on which every OCA module of `bundle` is ported, for the "how to fix" part. */
export function versionsInstalling(bundle: BundleName, versions: readonly string[]): string[] {
  return versions.filter((v) => resolveBundles([bundle], v).missing.length === 0);
}

export function missingModuleFinding(index: number, m: BundleModule, version: string): RuleFinding {
  const others = versionsInstalling(m.bundle, ODOO_VERSIONS);
  const need = m.neededBy ? `${m.module} (needed by ${m.neededBy})` : m.module;
  return {
    field: `bundles[${index}]`,
    what: `bundle ${m.bundle} needs ${need} from ${m.repo}, which is not available for Odoo ${version}: ${m.detail} (its mirror read as of ${m.asOf})`,
    fix:
      `remove ${m.bundle} from bundles, or set odoo.version to one where all its modules are ported (${others.join(", ") || "none yet"}); ` +
      "once OCA has ported it, re-read the branches (fetch the repository, npx tsx scripts/read-oca-ports.ts) and commit oca-ports.json",
  };
}

/** One finding per bundle module (or OCA dependency) missing on the project's Odoo version. */
export function bundleModuleFindings(project: Pick<Project, "bundles" | "odoo">): RuleFinding[] {
  return missingByBundle(project).map(({ index, module }) =>
    missingModuleFinding(index, module, project.odoo.version),
  );
}

function missingByBundle(
  project: Pick<Project, "bundles" | "odoo">,
): { index: number; module: BundleModule }[] {
  return project.bundles.flatMap((bundle, index) =>
    resolveBundles([bundle], project.odoo.version).missing.map((module) => ({ index, module })),
  );
}

/**
 * The same findings as located problems of a project file, for commands that refuse before any plan
 * (`odooops tenant create`): `file:line:col bundles[i]: what; fix`.
 */
export function bundleModuleProblems(
  loaded: Pick<LoadedProject, "project" | "locate">,
  file: string,
): Problem[] {
  return missingByBundle(loaded.project).map(({ index, module }) => {
    const finding = missingModuleFinding(index, module, loaded.project.odoo.version);
    return {
      file,
      ...loaded.locate(["bundles", index]),
      path: finding.field,
      message: `${finding.what}; ${finding.fix}`,
    };
  });
}
