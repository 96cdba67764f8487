import { type Document, isMap, isScalar, isSeq, parseDocument, visit, type YAMLMap } from "yaml";

/**
 * The workflows of a platform repository made by `odooops init`, generated from odooops' own so that
 * jobs, permissions, secrets, environments and concurrency have one source. What differs is mechanical:
 * odooops is an installed package there (the CLI is `npx odooops`, the policy pack sits under
 * node_modules/odooops), there is no `.ci/run` test suite, and the repo may have no lock file.
 * odooops' own agent-release.yml (the agent image) and app-build.yml (for app repos) are not among them.
 */
export const PLATFORM_WORKFLOWS = [
  "ci.yml",
  "plan-comment.yml",
  "preview.yml",
  "deploy.yml",
  "drift.yml",
  "reaper.yml",
];
export const WORKFLOWS_DIR = ".github/workflows";
export const SETUP_ACTION = ".github/actions/setup-odooops/action.yml";
/** The pack odooops ships compiled (prepack builds policies/bin/, policies/.npmignore keeps it in the tarball). */
export const POLICY_PACK = "node_modules/odooops/policies";
/** In odooops, the pack is its own folder; the one value of `policyPacks:` the originals use. */
const OWN_POLICY_PACK = "policies";

// Same output as the originals wherever nothing changes: flow lists as `[main]`, no line folding.
const WRITE = { lineWidth: 0, flowCollectionPadding: false } as const;

/** The CI header of the platform repo: odooops' own speaks of its test suite, which a platform repo has not. */
const CI_HEADER = ` Pull requests and main: the offline plan of every project as Markdown (\`npx odooops plan\` from the odooops
 package pinned in package.json). This workflow writes nothing: it runs the PR's code, also from forks.
 Its only credential is the read-only catalog key (anon key + ODOOOPS_CATALOG_KEY: reads the build
 catalog, nothing else), given to same-repo PRs and main so the plan checks release gates against the
 live control plane; fork PRs get none and the plan says "release gates not evaluated (no control
 plane)" as advice. The plan reaches the PR through an artifact that plan-comment.yml posts.`;

/** Jobs that run odooops' own checks (`.ci/run`: lint, typecheck, its test suite) exist only in odooops. */
const runsOwnChecks = (job: unknown): boolean => isMap(job) && JSON.stringify(job.toJSON()).includes(".ci/");

/** The comment above the first key, wherever the parser attached it (document, top-level map or key). */
function replaceHeader(doc: Document, text: string): void {
  const top = doc.contents;
  const key = isMap(top) ? top.items[0]?.key : undefined;
  if (!isMap(top) || !isScalar(key)) throw new Error("a workflow is a map of keys");
  doc.commentBefore = null;
  top.commentBefore = null;
  key.commentBefore = text;
}

/** A default stack prefix for the new organisation: its GitHub owner as Pulumi org, odooops as project. */
function stackPrefixDefault(value: string): string {
  return value.replace(
    /\|\| '[^'/]+\/([^']+)' }}$/,
    (_, project: string) => `|| format('{0}/${project}', github.repository_owner) }}`,
  );
}

/** One of PLATFORM_WORKFLOWS as the platform repo holds it, from odooops' own text. */
export function platformWorkflow(name: string, text: string): string {
  if (!PLATFORM_WORKFLOWS.includes(name)) throw new Error(`${name} is not a platform workflow`);
  const doc = parseDocument(text);
  const jobs = doc.get("jobs");
  if (!isMap(jobs)) throw new Error(`${name}: no jobs`);
  for (const pair of [...jobs.items]) if (runsOwnChecks(pair.value)) jobs.delete(pair.key);
  // The blank line that separated the removed first job from the next one.
  const first = jobs.items[0]?.key;
  if (isScalar(first)) first.spaceBefore = false;
  if (name === "ci.yml") replaceHeader(doc, CI_HEADER);
  const prefix = doc.getIn(["env", "PULUMI_STACK_PREFIX"]);
  if (typeof prefix === "string") doc.setIn(["env", "PULUMI_STACK_PREFIX"], stackPrefixDefault(prefix));
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === "policyPacks" && isScalar(pair.value)) {
        if (pair.value.value !== OWN_POLICY_PACK)
          throw new Error(`${name}: policyPacks ${String(pair.value.value)} is not odooops' own pack`);
        pair.value.value = POLICY_PACK;
      }
    },
  });
  return doc.toString(WRITE).replaceAll(`--policy-pack ${OWN_POLICY_PACK}`, `--policy-pack ${POLICY_PACK}`);
}

const INSTALL = `# odooops is private: a bare version would be looked up on npm, where a package of that name is not this one.
spec=$(node -p 'require("./package.json").dependencies?.odooops ?? ""')
case "$spec" in
  file:*|git+*|github:*|https://*) ;;
  *) echo "::error file=package.json::dependencies.odooops is '$spec': pin a tarball (file:<path>.tgz) or a git URL with a commit, never a registry version"
     exit 1 ;;
esac
# The lock file when the repository has one; otherwise what package.json pins.
if [ -f package-lock.json ]; then npm ci; else npm install --no-audit --no-fund; fi
`;

const CHECK_PACK = `test -f ${POLICY_PACK}/bin/index.cjs || {
  echo "::error::${POLICY_PACK}/bin/index.cjs is missing: install odooops from a tarball made by npm pack (its prepack compiles the pack) or a git URL"
  exit 1
}
`;

/** A step of the action by what it runs; the transformation fails loudly if the original changed shape. */
function stepRunning(steps: unknown, run: RegExp): YAMLMap {
  if (!isSeq(steps)) throw new Error(`${SETUP_ACTION}: no steps`);
  const step = steps.items.find((s) => isMap(s) && run.test(String(s.get("run") ?? "")));
  if (!isMap(step)) throw new Error(`${SETUP_ACTION}: no step runs ${run}`);
  return step;
}

/**
 * The setup action of the platform repo, from odooops' own: installs with or without a lock file, and
 * checks the compiled policy pack the installed odooops ships instead of compiling one.
 */
export function platformSetupAction(text: string): string {
  const doc = parseDocument(text);
  doc.set(
    "description",
    "Node 20, the dependencies package.json pins (locked when package-lock.json exists), and a check that the installed odooops ships its compiled policy pack.",
  );
  const steps = doc.getIn(["runs", "steps"]);
  const install = stepRunning(steps, /^npm ci$/);
  install.set("name", "Install the dependencies");
  install.set("run", INSTALL);
  const pack = stepRunning(steps, /build:policies/);
  pack.set("name", "Check the policy pack odooops ships");
  pack.set("run", CHECK_PACK);
  visit(doc, {
    Pair(_, pair) {
      // Hash whichever of package.json and package-lock.json the repository has.
      if (isScalar(pair.key) && pair.key.value === "cache-dependency-path" && isScalar(pair.value))
        pair.value.value = String(pair.value.value).replace(/package-lock\.json$/, "package*.json");
    },
  });
  return doc.toString(WRITE);
}
