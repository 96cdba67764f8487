import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../../../support/cli.ts";

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
