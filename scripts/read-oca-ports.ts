/**
 * Writes model/plan/upgrade/oca-ports.json: for every OCA module of the bundles (model/bundles.ts) and
 * every OCA module they depend on, in which Odoo versions its repository's branch holds an installable
 * port (manifest version `<branch>.x`, not `installable: False`) and what that manifest depends on. Reads
 * local git mirrors of the OCA repositories (the search tool's `fetch` puts them under
 * /work/.mirror/OCA+<repo>/repo; `--mirrors <dir>` elsewhere); OCA creates a branch before its modules
 * are migrated, so the branch's existence alone says nothing. Each repository's newest commit is recorded
 * too: that, not the day the script ran, is how current the data is.
 *
 * Refuses (exit 1) a bundle module or a manifest dependency that is neither an OCA module listed in
 * model/plan/upgrade/oca-modules.ts nor a known Odoo CE module, so nothing is classified by guess.
 *
 * Then writes examples/app-repo/oca_dependencies.txt from the new data (model/plan/bundle-modules.ts).
 *
 *   npx tsx scripts/read-oca-ports.ts [--mirrors /work/.mirror]
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUNDLES } from "../model/bundles.ts";
import { ODOO_VERSIONS } from "../model/data/odoo-personal-fields.ts";
import { templateOcaDependencies } from "../model/plan/bundle-modules.ts";
import { OCA_MODULE_REPOS, ODOO_CE_MODULES } from "../model/plan/upgrade/oca-modules.ts";
import { ocaPortsSchema } from "../model/plan/upgrade/ports.ts";

const mirrors = process.argv.includes("--mirrors")
  ? process.argv[process.argv.indexOf("--mirrors") + 1]!
  : "/work/.mirror";

function git(repo: string, ...args: string[]): string | undefined {
  try {
    return execFileSync("git", ["-C", repo, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    return undefined;
  }
}

/** The module names of a manifest's `depends` list (a Python literal: quoted names, comments allowed). */
function dependsOf(manifest: string): string[] {
  const list = manifest.match(/["']depends["']\s*:\s*\[([^\]]*)\]/)?.[1] ?? "";
  return [...list.replace(/#[^\n]*/g, "").matchAll(/["']([\w.]+)["']/g)].map((m) => m[1]!);
}

const unknown: string[] = [];
const classify = (module: string, neededBy: string) => {
  if (!(module in OCA_MODULE_REPOS) && !ODOO_CE_MODULES.has(module))
    unknown.push(`${module} (needed by ${neededBy})`);
};
for (const [bundle, { modules }] of Object.entries(BUNDLES))
  for (const module of modules) classify(module, `bundle ${bundle}`);

const modules: Record<string, { repo: string; branches: Record<string, unknown> }> = {};
const repos: Record<string, { newestCommit: string }> = {};
for (const [module, repo] of Object.entries(OCA_MODULE_REPOS)) {
  const dir = join(mirrors, `OCA+${repo}`, "repo");
  const newest = git(dir, "log", "-1", "--all", "--format=%cI")?.trim();
  if (!newest) throw new Error(`no git mirror of OCA/${repo} at ${dir}: fetch github:OCA/${repo} first`);
  repos[`OCA/${repo}`] = { newestCommit: newest };
  const branches: Record<string, unknown> = {};
  for (const version of ODOO_VERSIONS) {
    const head = git(dir, "log", "-1", "--format=%H %cI", version)?.trim();
    if (!head) {
      branches[version] = { branch: false };
      continue;
    }
    const [commit, committed] = head.split(" ");
    const manifest = git(dir, "show", `${version}:${module}/__manifest__.py`);
    const manifestVersion = manifest?.match(/["']version["']\s*:\s*["']([^"']+)["']/)?.[1];
    const installable = manifest !== undefined && !/["']installable["']\s*:\s*False/.test(manifest);
    const depends = manifest ? dependsOf(manifest) : [];
    for (const d of depends) classify(d, `${module} on ${version}`);
    branches[version] = {
      branch: true,
      commit,
      committed,
      manifestVersion: manifestVersion ?? null,
      ported: installable && manifestVersion?.startsWith(`${version}.`) === true,
      depends,
    };
  }
  modules[module] = { repo: `OCA/${repo}`, branches };
}
if (unknown.length > 0) {
  console.error(
    `neither a listed OCA module nor a known Odoo CE module: ${[...new Set(unknown)].join(", ")}\n` +
      "add each to OCA_MODULE_REPOS (with its repository, then fetch it) or ODOO_CE_MODULES in model/plan/upgrade/oca-modules.ts",
  );
  process.exit(1);
}
const out = {
  readAt: new Date().toISOString(),
  source:
    "git mirrors of the OCA repositories (search tool fetch), one branch per Odoo version; each repository's newest commit says how current its snapshot is",
  repos,
  modules,
};
writeFileSync(
  new URL("../model/plan/upgrade/oca-ports.json", import.meta.url),
  `${JSON.stringify(out, null, 2)}\n`,
);
// The app-repo template's oca_dependencies.txt follows the data, for the series its Dockerfile builds on.
const template = new URL("../examples/app-repo/", import.meta.url);
const series = /^FROM odoo:(\d+\.0)/m.exec(readFileSync(new URL("Dockerfile", template), "utf8"))?.[1];
if (!series) throw new Error("examples/app-repo/Dockerfile names no odoo:<series> base image");
writeFileSync(
  new URL("oca_dependencies.txt", template),
  templateOcaDependencies(series, ocaPortsSchema.parse(out)),
);
console.log(
  `wrote ${Object.keys(modules).length} modules from ${Object.keys(repos).length} repositories, and the template's oca_dependencies.txt for ${series}`,
);
