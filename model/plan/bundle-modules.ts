import { BUNDLE_NAMES, BUNDLES, type BundleName } from "../bundles.ts";
import { ODOO_VERSIONS } from "../data/odoo-personal-fields.ts";
import { OCA_PORTS, type OcaPorts } from "./upgrade/ports.ts";

const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);

/**
 * What a bundle needs on one Odoo version: its OCA modules and, through their manifests' `depends`, the
 * OCA modules those need, each with its repository and whether that repository's branch holds a port
 * (model/plan/upgrade/oca-ports.json, read from the OCA repositories by scripts/read-oca-ports.ts). A
 * module the port data does not know is an Odoo CE module: the script refuses to write data that leaves
 * a bundle module or a dependency unclassified.
 */
export interface BundleModule {
  bundle: BundleName;
  module: string;
  /** `OCA/<name>` */
  repo: string;
  /** The bundle module that needs it, when it is a dependency rather than a module of the bundle itself. */
  neededBy?: string;
  available: boolean;
  /** Why it is not available, in words: "OCA/crm has no 19.0 branch". */
  detail: string;
  /** The day of the newest commit in the mirror of its repository that was read (YYYY-MM-DD). */
  asOf: string;
  /**
   * Whether the data can say it is missing: its repository's mirror is at least PORT_GRACE_MONTHS newer
   * than the Odoo version's release. Before that, "not ported" in the data only means "not yet, as far
   * as an old mirror knows", which is advice to re-read the branches, not a reason to refuse a project.
   */
  judged: boolean;
}

/** When each supported Odoo version was released (odoo.com release notes); OCA ports follow in the year after. */
export const ODOO_RELEASED: Readonly<Record<string, string>> = {
  "16.0": "2022-10-12",
  "17.0": "2023-11-08",
  "18.0": "2024-10-02",
  "19.0": "2025-09-18",
};
export const PORT_GRACE_MONTHS = 12;

/** Whether data current to `asOf` (YYYY-MM-DD) is old enough past `version`'s release to call a port missing. */
export function portDataJudges(version: string, asOf: string): boolean {
  const released = ODOO_RELEASED[version];
  if (!released) return true;
  const due = new Date(`${released}T00:00:00Z`);
  due.setUTCMonth(due.getUTCMonth() + PORT_GRACE_MONTHS);
  return new Date(`${asOf}T00:00:00Z`) >= due;
}

function status(module: string, version: string, ports: OcaPorts): { available: boolean; detail: string } {
  const known = ports.modules[module]!;
  const branch = known.branches[version];
  if (!branch?.branch) return { available: false, detail: `${known.repo} has no ${version} branch` };
  if (branch.ported)
    return { available: true, detail: `${known.repo}@${version} (${branch.manifestVersion})` };
  return {
    available: false,
    detail: branch.manifestVersion
      ? `${known.repo}@${version} holds it as ${branch.manifestVersion}, not migrated to ${version}`
      : `${known.repo}@${version} has no ${module}`,
  };
}

/** The OCA modules of one bundle on `version`, its own first, then their dependencies, each once. */
export function bundleOcaModules(
  bundle: BundleName,
  version: string,
  ports: OcaPorts = OCA_PORTS,
): BundleModule[] {
  const found = new Map<string, BundleModule>();
  const visit = (module: string, neededBy: string | undefined) => {
    const known = ports.modules[module];
    if (!known || found.has(module)) return;
    const asOf = day(ports.repos[known.repo]?.newestCommit ?? ports.readAt);
    found.set(module, {
      bundle,
      module,
      repo: known.repo,
      ...(neededBy ? { neededBy } : {}),
      ...status(module, version, ports),
      asOf,
      judged: portDataJudges(version, asOf),
    });
    const branch = known.branches[version];
    for (const dependency of branch?.branch ? branch.depends : []) visit(dependency, neededBy ?? module);
  };
  for (const module of BUNDLES[bundle].modules) visit(module, undefined);
  return [...found.values()];
}

export interface BundleResolution {
  version: string;
  modules: BundleModule[];
  /** The OCA repositories the app repository must carry on the `version` branch, sorted, each once. */
  repos: string[];
  /** Not available, and the data is recent enough to say so (BundleModule.judged). */
  missing: BundleModule[];
  /** Not available in data too old to judge the version: the app repository gets the repository anyway. */
  unverified: BundleModule[];
}

export function resolveBundles(
  bundles: readonly BundleName[],
  version: string,
  ports: OcaPorts = OCA_PORTS,
): BundleResolution {
  const modules = bundles.flatMap((b) => bundleOcaModules(b, version, ports));
  const missing = modules.filter((m) => !m.available && m.judged);
  const unverified = modules.filter((m) => !m.available && !m.judged);
  const repos = [...new Set(modules.filter((m) => m.available || !m.judged).map((m) => m.repo))].sort();
  return { version, modules, repos, missing, unverified };
}

/** The date of the newest commit of the mirrors the port data was read from (YYYY-MM-DD). */
export function portsCurrentTo(ports: OcaPorts = OCA_PORTS): string {
  return (
    Object.values(ports.repos)
      .map((r) => day(r.newestCommit))
      .sort()
      .at(-1) ?? ports.readAt.slice(0, 10)
  );
}

const repoName = (repo: string) => repo.replace(/^OCA\//, "");

function header(r: BundleResolution, bundles: readonly BundleName[], ports: OcaPorts): string[] {
  const unverified = r.unverified.map(
    (m) =>
      `# NOT VERIFIED for ${r.version}: ${m.module} (${m.detail} in a mirror of ${m.asOf}); check the branch before the first build`,
  );
  return [
    `# Generated by odooops (model/plan/bundle-modules.ts) for Odoo ${r.version} and the bundles ${bundles.join(", ") || "(none)"},`,
    `# from model/plan/upgrade/oca-ports.json: the OCA repositories' ${r.version} branches, mirrors current to ${portsCurrentTo(ports)}.`,
    ...unverified,
  ];
}

/**
 * oca_dependencies.txt (OCA's maintainer-quality-tools format: one repository name a line, optionally
 * followed by its URL and branch), with the modules each repository brings as comments. Refuses a
 * resolution with missing modules: an app repository that cannot install its bundles is no template.
 */
export function ocaDependenciesTxt(
  bundles: readonly BundleName[],
  version: string,
  ports: OcaPorts = OCA_PORTS,
): string {
  const r = resolveBundles(bundles, version, ports);
  if (r.missing.length > 0)
    throw new Error(`bundles not installable on ${r.version}: ${r.missing.map((m) => m.module).join(", ")}`);
  const lines = header(r, bundles, ports);
  for (const repo of r.repos) {
    const modules = r.modules.filter((m) => m.repo === repo).map((m) => m.module);
    lines.push(
      `# ${[...new Set(modules)].join(", ")}`,
      `${repoName(repo)} https://github.com/${repo}.git ${r.version}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** .gitmodules with one submodule per repository under oca/, where the app image's Dockerfile copies them from. */
export function gitmodules(
  bundles: readonly BundleName[],
  version: string,
  ports: OcaPorts = OCA_PORTS,
): string {
  const r = resolveBundles(bundles, version, ports);
  if (r.missing.length > 0)
    throw new Error(`bundles not installable on ${r.version}: ${r.missing.map((m) => m.module).join(", ")}`);
  const lines = header(r, bundles, ports);
  for (const repo of r.repos)
    lines.push(
      `[submodule "oca/${repoName(repo)}"]`,
      `\tpath = oca/${repoName(repo)}`,
      `\turl = https://github.com/${repo}.git`,
      `\tbranch = ${r.version}`,
    );
  return `${lines.join("\n")}\n`;
}

/**
 * The app-repo template's oca_dependencies.txt (examples/app-repo, one Odoo series): the repositories
 * of every bundle installable on that series, and for each bundle that is not, a comment saying what is
 * missing and where it installs. `odooops tenant create --app-repo` writes a tenant's own file.
 */
export function templateOcaDependencies(version: string, ports: OcaPorts = OCA_PORTS): string {
  const installable = BUNDLE_NAMES.filter((b) => resolveBundles([b], version, ports).missing.length === 0);
  const lines = ocaDependenciesTxt(installable, version, ports).trimEnd().split("\n");
  lines.splice(
    2,
    0,
    "# The template's copy: `odooops tenant create <name> --app-repo <checkout>` writes the tenant's own.",
  );
  for (const bundle of BUNDLE_NAMES.filter((b) => !installable.includes(b))) {
    const missing = resolveBundles([bundle], version, ports).missing.map((m) => m.module);
    const elsewhere = ODOO_VERSIONS.filter((v) => resolveBundles([bundle], v, ports).missing.length === 0);
    lines.push(
      `# ${bundle}: not installable on ${version}, missing ${missing.join(", ")}; installable on ${elsewhere.join(", ") || "no version yet"}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
