import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { EXAMPLE_PROJECTS, minimalYaml, writeProjects } from "../support/projects.ts";

describe("odooops validate", () => {
  it("accepts the example projects", async () => {
    const { code, stdout, stderr } = await runCli("validate", ...EXAMPLE_PROJECTS);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("ok examples/projects/acme-erp.yaml: acme-erp");
    expect(stdout).toContain("ok examples/projects/hello.yaml: hello");
  });

  it("accepts this repo's empty projects/ in one line: nothing to validate", async () => {
    const { code, stdout, stderr } = await runCli("validate");
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("no project files in projects/");
  });

  it("prints every problem of every file and exits 2", async () => {
    const { dir, paths } = writeProjects({
      "acme.yaml": `${minimalYaml()}regoin: sgp1\n`,
      "beta.yaml": minimalYaml("beta").replace("repo: acme/beta", "repo: not a repo"),
    });
    const { code, stdout, stderr } = await runCli("validate", ...paths);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`${dir}/acme.yaml:6:1 regoin: unknown key "regoin"; did you mean "region"?`);
    expect(stderr).toContain(
      `${dir}/beta.yaml:2:7 repo: "not a repo" must be owner/name of a GitHub repository`,
    );
    expect(stderr).toContain("2 problem(s) in 2 file(s); nothing was planned or changed.");
  });

  it("checks a build catalog with positions", async () => {
    const { paths } = writeProjects({
      "catalog.json": '{\n  "projects": {\n    "acme": { "branches": [ { "name": "feature/x" } ] }\n  }\n}\n',
    });
    const { code, stderr } = await runCli("validate", "examples/projects/hello.yaml", "--catalog", paths[0]!);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /catalog\.json:3:\d+ projects\.acme\.branches\[0\]\.build: missing; expected object/,
    );
  });

  it("with --policies, judges the files by the pack's project-file rules", async () => {
    const { code, stdout, stderr } = await runCli(
      "validate",
      "--policies",
      "test/fixtures/safe/tricky-options.yaml",
      "test/fixtures/unsafe/dev-mode-on.yaml",
      "test/fixtures/unsafe/server-wide-modules.yaml",
    );
    expect(code).toBe(1);
    expect(stdout).toContain("ok test/fixtures/safe/tricky-options.yaml");
    expect(stdout).toContain("ok test/fixtures/unsafe/server-wide-modules.yaml");
    expect(stdout).not.toContain("dev-mode-on.yaml");
    expect(stderr).toMatch(
      /^test\/fixtures\/unsafe\/dev-mode-on\.yaml:25:13 odooOptions\.dev_mode: \[mandatory\] odoo-options-safe: .*; fix: remove dev_mode from odooOptions$/m,
    );
    expect(stderr).toMatch(
      /server-wide-modules\.yaml:\d+:\d+ odooOptions\.server_wide_modules: \[advisory\] odoo-options-advice/,
    );
  });

  it("with --policies, passes the example projects", async () => {
    const { code, stderr } = await runCli("validate", ...EXAMPLE_PROJECTS, "--policies");
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  it("names a directory or a binary file as such, not by an errno", async () => {
    const { dir, paths } = writeProjects({ "image.yaml": "" });
    writeFileSync(paths[0]!, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    const { code, stderr } = await runCli("validate", paths[0]!, dir, "--catalog", dir);
    expect(code).toBe(2);
    expect(stderr).toContain(`${dir}/image.yaml:1:1 cannot read the file: it is a binary file, not text`);
    expect(stderr).toContain(`${dir}:1:1 cannot read the file: it is a directory, not a file`);
    expect(stderr).toContain(`${dir}:1:1 cannot read the build catalog: it is a directory, not a file`);
    expect(stderr).not.toMatch(/EISDIR|at .*\.ts:\d+/);
  });

  it("prints JSON with --format json or its alias --json", async () => {
    for (const flag of [["--format", "json"], ["--json"]]) {
      const { code, stdout } = await runCli("validate", "examples/projects/hello.yaml", ...flag);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({
        ok: true,
        projects: [{ file: "examples/projects/hello.yaml", project: "hello" }],
      });
    }
    const { stdout } = await runCli("plan", "examples/projects/hello.yaml", "--stack", "prod", "--json");
    expect(JSON.parse(stdout)).toHaveProperty("resources");
  });

  it("prints its version", async () => {
    const { code, stdout } = await runCli("--version");
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("exits 2 on a usage mistake", async () => {
    const { code, stderr } = await runCli("validate", "--nope");
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--nope'");
  });
});
