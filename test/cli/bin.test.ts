import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("the odooops binary", () => {
  it("runs the offline plan as a user would after npm ci, without credentials", async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const { stdout } = await run(
      "node",
      [
        "bin/odooops.js",
        "plan",
        "--projects",
        "examples/projects",
        "--catalog",
        "examples/catalog.example.json",
        "--format",
        "json",
      ],
      { env },
    );
    const plan = JSON.parse(stdout) as { resources: unknown[]; violations: unknown[] };
    expect(plan.resources.length).toBeGreaterThan(0);
  });

  it("exits 2 without a stack trace on invalid input", async () => {
    const failure = await run("node", ["bin/odooops.js", "validate", "projects/missing.yaml"]).catch(
      (e: unknown) => e,
    );
    const { code, stderr } = failure as { code: number; stderr: string };
    expect(code).toBe(2);
    expect(stderr).toContain("projects/missing.yaml:1:1 cannot read the file: file not found");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("lists the agent's commands though it loads them only when the agent command runs", async () => {
    for (const argv of [
      ["agent", "--help"],
      ["help", "agent"],
    ]) {
      const { stdout } = await run("node", ["bin/odooops.js", ...argv]);
      expect(stdout).toMatch(/^ {2}clone \[options\]/m);
      expect(stdout).toMatch(/^ {2}backup \[options\]/m);
    }
    const { stdout } = await run("node", ["bin/odooops.js", "--help"]);
    expect(stdout).toMatch(/^ {2}agent +Data agent: clone, filestore/m);
  });
});
