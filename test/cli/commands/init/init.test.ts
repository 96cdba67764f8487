import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { scaffoldPlatformRepo } from "../../../../cli/init/scaffold.ts";
import {
  PLATFORM_WORKFLOWS,
  POLICY_PACK,
  SETUP_ACTION,
  WORKFLOWS_DIR,
} from "../../../../cli/init/workflows.ts";
import { buildPolicyPack, POLICY_PACK_ENTRY } from "../../../../scripts/build-policy-pack.ts";
import { runCli } from "../../../support/cli.ts";
import {
  type Job,
  jobsOf,
  parseWorkflow,
  platform,
  type Step,
  type Workflow,
} from "../../../workflows/support.ts";

const ODOOOPS = resolve(import.meta.dirname, "../../../..");

const fresh = () => join(mkdtempSync(join(tmpdir(), "odooops-init-")), "platform");

describe("odooops init <dir> --domain <d>", () => {
  it("scaffolds a platform repo that validates, plans to nothing, then plans its first project", async () => {
    const dir = fresh();
    const init = await runCli("init", dir, "--domain", "erp.example.org");
    expect(init).toMatchObject({ code: 0, stderr: "" });
    for (const file of [
      "Pulumi.yaml",
      "package.json",
      "index.ts",
      "Pulumi.staging.yaml",
      "Pulumi.prod.yaml",
      "projects/schema.json",
      "projects/README.md",
      ".gitignore",
      ".github/workflows/ci.yml",
      ".github/workflows/deploy.yml",
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(readFileSync(join(dir, "Pulumi.prod.yaml"), "utf8")).toContain(
      "odooops:platformDomain: erp.example.org\n",
    );
    const projects = join(dir, "projects");

    const empty = await runCli("validate", "--projects", projects);
    expect(empty).toMatchObject({ code: 0, stderr: "" });
    expect(empty.stdout).toContain(`no project files in ${projects}/`);
    const nothing = await runCli("plan", "--root", dir, "--projects", projects);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain("nothing to plan");

    copyFileSync("examples/projects/hello.yaml", join(projects, "hello.yaml"));
    const plan = await runCli("plan", "--root", dir, "--projects", projects, "--stack", "prod", "--json");
    expect(plan.code).toBe(0);
    const hosts = JSON.stringify(JSON.parse(plan.stdout));
    expect(hosts).toContain("hello.erp.example.org");
  });

  it("holds the Pulumi program's entry: Pulumi.yaml's main exists and runs odooops' program, pinned in package.json", async () => {
    const dir = fresh();
    expect((await runCli("init", dir, "--domain", "erp.example.org")).code).toBe(0);
    const pulumiYaml = parse(readFileSync(join(dir, "Pulumi.yaml"), "utf8")) as {
      main: string;
      runtime: { name: string; options: { nodeargs: string } };
    };
    expect(pulumiYaml.runtime.name).toBe("nodejs");
    expect(existsSync(join(dir, pulumiYaml.main)), `Pulumi.yaml main: ${pulumiYaml.main}`).toBe(true);

    const own = JSON.parse(readFileSync(join(ODOOOPS, "package.json"), "utf8")) as {
      version: string;
      dependencies: Record<string, string>;
    };
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      name: string;
      type: string;
      dependencies: Record<string, string>;
    };
    expect(pkg).toMatchObject({ name: "platform", type: "module" });
    expect(pkg.dependencies.odooops).toBe(own.version); // exact: the program changes only by a reviewed bump
    // What Pulumi's Node.js runtime loads from the repo itself: the SDK and nodeargs' --import tsx.
    expect(pulumiYaml.runtime.options.nodeargs).toBe("--import tsx");
    expect(pkg.dependencies.tsx).toBe(own.dependencies.tsx);
    expect(pkg.dependencies["@pulumi/pulumi"]).toBe(own.dependencies["@pulumi/pulumi"]);

    // The entry imports a module odooops has, and exports what the deploy workflow reads.
    const entry = readFileSync(join(dir, pulumiYaml.main), "utf8");
    const imported = /from "odooops\/([^"]+)"/.exec(entry)?.[1];
    expect(imported && existsSync(join(ODOOOPS, imported)), `odooops/${imported}`).toBe(true);
    expect(readFileSync(join(ODOOOPS, imported ?? ""), "utf8")).toMatch(/^export const deployed\b/m);

    // As `npm install` would lay it out, then the way Pulumi starts it: the program loads and runs up to
    // its first check, which without the engine's stack config refuses.
    mkdirSync(join(dir, "node_modules/@pulumi"), { recursive: true });
    symlinkSync(ODOOOPS, join(dir, "node_modules/odooops"));
    symlinkSync(join(ODOOOPS, "node_modules/tsx"), join(dir, "node_modules/tsx"));
    symlinkSync(join(ODOOOPS, "node_modules/@pulumi/pulumi"), join(dir, "node_modules/@pulumi/pulumi"));
    const run = spawnSync(
      "node",
      [...pulumiYaml.runtime.options.nodeargs.split(" "), "-e", `await import("./${pulumiYaml.main}")`],
      { cwd: dir, encoding: "utf8", env: { ...process.env, PULUMI_CONFIG: "{}" } },
    );
    expect(run.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
    expect(run.stderr).toContain("invalid odooops stack config");
  }, 60_000);

  it("refuses a non-empty target and a bad domain, writing nothing", async () => {
    const dir = fresh();
    const first = await runCli("init", dir, "--domain", "erp.example.org");
    expect(first.code).toBe(0);
    writeFileSync(join(dir, "keep.txt"), "mine");
    const again = await runCli("init", dir, "--domain", "erp.example.org");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("is not empty");
    const other = fresh();
    const bad = await runCli("init", other, "--domain", "Not A Domain");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--domain "Not A Domain"');
    expect(existsSync(other)).toBe(false);
  });
});

/** Every `secrets.NAME` a job reads, as a sorted list. */
const secretsOf = (job: Job) =>
  [...new Set([...JSON.stringify(job).matchAll(/\bsecrets\.(\w+)/g)].map((m) => m[1]))].sort();

describe("the workflows odooops init writes", () => {
  const dir = fresh();
  scaffoldPlatformRepo(dir, "erp.example.org");
  // node_modules/odooops as npm lays it out, from this checkout (the package the workflows install).
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ODOOOPS, join(dir, "node_modules/odooops"));
  const scaffolded = PLATFORM_WORKFLOWS.map((name) =>
    parseWorkflow(`${WORKFLOWS_DIR}/${name}`, readFileSync(join(dir, WORKFLOWS_DIR, name), "utf8")),
  );
  const action = readFileSync(join(dir, SETUP_ACTION), "utf8");
  const actionSteps = (parse(action) as { runs: { steps: Step[] } }).runs.steps;
  const steps = [
    ...scaffolded.flatMap((w) => jobsOf(w).flatMap(([, job]) => job.steps ?? [])),
    ...actionSteps,
  ];
  /** What was dropped on purpose: the job running odooops' own lint, typecheck and tests. */
  const ownChecks = (job: Job) => JSON.stringify(job).includes(".ci/");

  it("are the platform workflows only, valid, and never run odooops' own checks", () => {
    expect(readdirSync(join(dir, WORKFLOWS_DIR)).sort()).toEqual([...PLATFORM_WORKFLOWS].sort());
    for (const w of scaffolded) {
      expect(validateWorkflow(w.text).errors, w.file).toEqual([]);
      expect(w.text, w.file).not.toContain(".ci/");
      expect(w.text, w.file).not.toContain("insightpulseai");
    }
    expect(validateAction(action).errors).toEqual([]);
    // plan-comment.yml follows the CI workflow by name: the repo has one.
    const followed = (platform("plan-comment.yml").on.workflow_run as { workflows: string[] }).workflows;
    const names = scaffolded.map((w) => (parse(w.text) as { name: string }).name);
    for (const name of followed) expect(names).toContain(name);
  });

  it("name only actions, policy packs and commands the repo or node_modules/odooops holds", () => {
    const locals = steps.flatMap((s) => (s.uses?.startsWith("./") ? [s.uses] : []));
    expect(locals.length).toBeGreaterThan(5);
    for (const uses of locals) expect(existsSync(join(dir, uses, "action.yml")), uses).toBe(true);

    const packs = [
      ...steps.flatMap((s) => (typeof s.with?.policyPacks === "string" ? [s.with.policyPacks] : [])),
      ...scaffolded.flatMap((w) => [...w.text.matchAll(/--policy-pack ([^\s`]+)/g)].map((m) => m[1]!)),
    ];
    expect(packs.length).toBeGreaterThan(3);
    for (const pack of packs) {
      expect(pack).toBe(POLICY_PACK);
      expect(existsSync(join(dir, pack, "PulumiPolicy.yaml")), pack).toBe(true);
      // The pack's runner resolves from its directory, as the Pulumi CLI starts it.
      expect(() =>
        createRequire(join(dir, pack, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack"),
      ).not.toThrow();
    }

    const own = JSON.parse(readFileSync(join(ODOOOPS, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    const commands = runs.flatMap((run) => [...run.matchAll(/\bnpx (\S+)/g)].map((m) => m[1]!));
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) {
      expect(command).toBe("odooops");
      expect(pkg.dependencies).toHaveProperty("odooops");
      expect(existsSync(join(dir, "node_modules/odooops", own.bin[command] ?? "")), command).toBe(true);
    }
    for (const run of runs) expect(run).not.toMatch(/(^|\s)\.{0,2}\/?(scripts|bin|\.ci)\//m);
  });

  it("keep the originals' triggers, jobs, permissions, environments, concurrency and secrets", () => {
    for (const w of scaffolded) {
      const original = platform(w.file.split("/").pop()!);
      const top = (x: Workflow) => {
        const { on, permissions, concurrency, env } = parse(x.text) as Record<string, unknown>;
        return { on, permissions, concurrency, envKeys: Object.keys((env ?? {}) as object) };
      };
      expect(top(w), w.file).toEqual(top(original));
      const kept = jobsOf(original).filter(([, job]) => !ownChecks(job));
      expect(Object.keys(w.jobs), w.file).toEqual(kept.map(([name]) => name));
      for (const [name, job] of kept) {
        const ours = w.jobs[name]!;
        const where = `${w.file} ${name}`;
        const facts = (j: Job) => {
          const { permissions, environment, concurrency, needs, strategy } = j as Job & {
            strategy?: unknown;
          };
          const { "runs-on": runsOn, if: condition } = j as Record<string, unknown>;
          return { permissions, environment, concurrency, needs, strategy, runsOn, condition };
        };
        expect(facts(ours), where).toEqual(facts(job));
        expect(secretsOf(ours), where).toEqual(secretsOf(job));
        expect((ours.steps ?? []).length, where).toBe((job.steps ?? []).length);
      }
    }
    // Only ci.yml loses a job (its `.ci/run` test job); its plan job and the artifact plan-comment reads stay.
    const ci = scaffolded.find((w) => w.file.endsWith("/ci.yml"))!;
    expect(Object.keys(ci.jobs)).toEqual(["plan"]);
    expect(ci.text).toContain("name: odooops-plan\n");
  });

  it("install from package.json with or without a lock file, refusing a registry version of odooops", () => {
    const install = actionSteps.find((s) => s.run?.includes("npm ci"))!.run!;
    expect(install).toMatch(/if \[ -f package-lock\.json \]; then npm ci; else npm install\b/);
    const repo = mkdtempSync(join(tmpdir(), "odooops-install-"));
    writeFileSync(join(repo, "package.json"), readFileSync(join(dir, "package.json")));
    // As scaffolded, package.json pins a bare version: the step stops before npm looks it up.
    const refused = spawnSync("bash", ["-e", "-c", install], { cwd: repo, encoding: "utf8" });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain("::error file=package.json::dependencies.odooops is '0.1.0'");
  });

  it("find the compiled policy pack in the package odooops' npm pack makes", async () => {
    const own = JSON.parse(readFileSync(join(ODOOOPS, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(own.scripts.prepack).toContain("build:policies"); // npm pack and git installs compile the pack
    if (!existsSync(POLICY_PACK_ENTRY)) await buildPolicyPack();
    const packed = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ODOOOPS,
      encoding: "utf8",
    });
    expect(packed.status, packed.stderr).toBe(0);
    const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    const main = (
      JSON.parse(readFileSync(join(ODOOOPS, "policies/package.json"), "utf8")) as { main: string }
    ).main;
    for (const file of [
      `policies/${main}`,
      "policies/package.json",
      "policies/PulumiPolicy.yaml",
      "bin/odooops.js",
    ])
      expect(files, file).toContain(file);
  }, 60_000);
});
