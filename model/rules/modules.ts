import type { BundleName } from "../bundles.ts";
import { ODOO_VERSIONS } from "../data/odoo-personal-fields.ts";
import type { LoadedProject } from "../input/loader.ts";
import type { Project } from "../input/schema/project.ts";
import {
  type BundleModule,
  ODOO_RELEASED,
  PORT_GRACE_MONTHS,
  resolveBundles,
} from "../plan/bundle-modules.ts";
import { OCA_PORTS, type OcaPorts } from "../plan/upgrade/ports.ts";
import type { Problem } from "../problem.ts";
import type { RuleFinding } from "./finding.ts";

/**
 * A bundle is a promise that its modules install: a project may only name bundles whose OCA modules (and
 * the OCA modules they depend on) are ported to its Odoo version, as read from the OCA repositories'
 * branches (model/plan/upgrade/oca-ports.json). Otherwise the first build fails on a missing module,
 * or worse, the app repository pins a branch where the module is still marked not installable.
 */

/** The versions on which every OCA module of `bundle` is known to be ported, for the "how to fix" part. */
export function versionsInstalling(
  bundle: BundleName,
  versions: readonly string[],
  ports: OcaPorts,
): string[] {
  return versions.filter((v) => {
    const r = resolveBundles([bundle], v, ports);
    return r.missing.length === 0 && r.unverified.length === 0;
  });
}

const needs = (m: BundleModule) =>
  `bundle ${m.bundle} needs ${m.neededBy ? `${m.module} (needed by ${m.neededBy})` : m.module} from ${m.repo}`;
const REREAD =
  "re-read the branches (fetch the repository, npx tsx scripts/read-oca-ports.ts) and commit oca-ports.json";

export function missingModuleFinding(
  index: number,
  m: BundleModule,
  version: string,
  ports: OcaPorts = OCA_PORTS,
): RuleFinding {
  const others = versionsInstalling(m.bundle, ODOO_VERSIONS, ports);
  return {
    field: `bundles[${index}]`,
    what: `${needs(m)}, which is not available for Odoo ${version}: ${m.detail} (its mirror read as of ${m.asOf})`,
    fix:
      `remove ${m.bundle} from bundles, or set odoo.version to one where all its modules are ported (${others.join(", ") || "none yet"}); ` +
      `once OCA has ported it, ${REREAD}`,
  };
}

export function unverifiedModuleFinding(index: number, m: BundleModule, version: string): RuleFinding {
  return {
    field: `bundles[${index}]`,
    what: `${needs(m)}, whose port to Odoo ${version} the platform's OCA data cannot confirm: ${m.detail} in a mirror of ${m.asOf}, before ${version} had been out ${PORT_GRACE_MONTHS} months (released ${ODOO_RELEASED[version] ?? "unknown"})`,
    fix: `${REREAD}; until then the app repository gets ${m.repo} on the ${version} branch and the first build shows whether the module installs`,
  };
}

type BundleProject = Pick<Project, "bundles" | "odoo">;

/** One finding per bundle module (or OCA dependency) the data says is missing on the project's version. */
export function bundleModuleFindings(project: BundleProject, ports: OcaPorts = OCA_PORTS): RuleFinding[] {
  return byBundle(project, ports, "missing").map(({ index, module }) =>
    missingModuleFinding(index, module, project.odoo.version, ports),
  );
}

/** One finding per bundle module the data is too old to confirm on the project's version. */
export function unverifiedBundleFindings(project: BundleProject, ports: OcaPorts = OCA_PORTS): RuleFinding[] {
  return byBundle(project, ports, "unverified").map(({ index, module }) =>
    unverifiedModuleFinding(index, module, project.odoo.version),
  );
}

function byBundle(
  project: BundleProject,
  ports: OcaPorts,
  which: "missing" | "unverified",
): { index: number; module: BundleModule }[] {
  return project.bundles.flatMap((bundle, index) =>
    resolveBundles([bundle], project.odoo.version, ports)[which].map((module) => ({ index, module })),
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
  return byBundle(loaded.project, OCA_PORTS, "missing").map(({ index, module }) => {
    const finding = missingModuleFinding(index, module, loaded.project.odoo.version);
    return {
      file,
      ...loaded.locate(["bundles", index]),
      path: finding.field,
      message: `${finding.what}; ${finding.fix}`,
    };
  });
}
