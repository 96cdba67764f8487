/**
 * Writes model/plan/upgrade/oca-ports.json: for every OCA module of the bundles (model/bundles.ts), in which
 * Odoo versions its repository's branch holds an installable port (manifest version `<branch>.x`, not
 * `installable: False`). Reads local git mirrors of the OCA repositories (the search tool's `fetch`
 * puts them under /work/.mirror/OCA+<repo>/repo; `--mirrors <dir>` elsewhere); OCA creates a branch
 * before its modules are migrated, so the branch's existence alone says nothing.
 *
 *   npx tsx scripts/read-oca-ports.ts [--mirrors /work/.mirror]
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ODOO_VERSIONS } from "../model/data/odoo-personal-fields.ts";
import { OCA_MODULE_REPOS } from "../model/plan/upgrade/oca-modules.ts";

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

const modules: Record<string, { repo: string; branches: Record<string, unknown> }> = {};
for (const [module, repo] of Object.entries(OCA_MODULE_REPOS)) {
  const dir = join(mirrors, `OCA+${repo}`, "repo");
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
    branches[version] = {
      branch: true,
      commit,
      committed,
      manifestVersion: manifestVersion ?? null,
      ported: installable && manifestVersion?.startsWith(`${version}.`) === true,
    };
  }
  modules[module] = { repo: `OCA/${repo}`, branches };
}
const out = {
  readAt: new Date().toISOString(),
  source: "git mirrors of the OCA repositories (search tool fetch), one branch per Odoo version",
  modules,
};
writeFileSync(
  new URL("../model/plan/upgrade/oca-ports.json", import.meta.url),
  `${JSON.stringify(out, null, 2)}\n`,
);
console.log(`wrote ${Object.keys(modules).length} modules`);
