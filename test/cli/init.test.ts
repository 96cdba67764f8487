import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";

const fresh = () => join(mkdtempSync(join(tmpdir(), "odooops-init-")), "platform");

describe("odooops init <dir> --domain <d>", () => {
  it("scaffolds a platform repo that validates, plans to nothing, then plans its first project", async () => {
    const dir = fresh();
    const init = await runCli("init", dir, "--domain", "erp.example.org");
    expect(init).toMatchObject({ code: 0, stderr: "" });
    for (const file of [
      "Pulumi.yaml",
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
