import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain JavaScript (it runs before tsx), without declarations
import { freshBundle } from "../../bin/bundle.js";

const ROOT = pathToFileURL(`${process.cwd()}/`);
const isFresh = (root: URL) => (freshBundle(root) as URL | undefined) !== undefined;

/** Runs bin/odooops.js from the prebuilt bundle or (ODOOOPS_FROM_SOURCE=1) from the sources. */
function odooops(
  fromSource: boolean,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ODOOOPS_FROM_SOURCE: fromSource ? "1" : "0" };
  return new Promise((resolve) => {
    execFile("node", ["bin/odooops.js", ...args], { env, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe("the prebuilt CLI bundle (dist/, built by npm ci's prepare)", () => {
  beforeAll(() => {
    // npm ci built it; rebuilt only if a source changed since (a rebuild under running CLIs is a race).
    if (!isFresh(ROOT)) execFileSync("node", ["scripts/build-cli.mjs"], { stdio: "inherit" });
  }, 120_000);

  it("is fresh after the build, and says exactly what the sources say", async () => {
    expect(isFresh(ROOT)).toBe(true);
    for (const args of [
      ["--help"],
      ["--version"],
      ["validate", "examples/projects/hello.yaml"],
      ["validate", "projects/missing.yaml"],
      ["agent", "--help"],
      // The plan through the bundle's own worker threads.
      ["plan", "--stack", "prod", "--format", "json", "--workers", "2", "--now", "2026-12-05T00:00:00Z"],
    ]) {
      const [bundle, sources] = (await Promise.all([odooops(false, args), odooops(true, args)])).map(
        // Progress lines carry elapsed seconds, which differ from run to run.
        (r) => ({ args, ...r, stderr: r.stderr.replace(/^plan: \d+\/\d+ projects, \d+ s\n/gm, "") }),
      );
      expect(bundle).toEqual(sources);
    }
  }, 600_000);

  it("scaffolds with init as the sources do: the bundle finds the package's files one folder up", async () => {
    const runs = await Promise.all(
      [false, true].map(async (fromSource) => {
        const dir = join(mkdtempSync(join(tmpdir(), "odooops-bundle-init-")), "platform");
        const result = await odooops(fromSource, ["init", dir, "--domain", "erp.example.org"]);
        return { ...result, stdout: result.stdout.replaceAll(dir, "<dir>") };
      }),
    );
    expect(runs[0]).toMatchObject({ code: 0, stderr: "" });
    expect(runs[0]).toEqual(runs[1]);
  }, 60_000);

  describe("freshness", () => {
    const root = mkdtempSync(join(tmpdir(), "odooops-bundle-"));
    const url = pathToFileURL(`${root}/`);
    beforeAll(() => {
      mkdirSync(join(root, "dist"));
      mkdirSync(join(root, "cli"));
      writeFileSync(join(root, "cli", "main.ts"), "export {};");
      writeFileSync(join(root, "dist", "main.js"), "export {};");
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const manifest = (builtAt: number, inputs: string[]) =>
      writeFileSync(join(root, "dist", "inputs.json"), JSON.stringify({ builtAt, inputs }));

    it("runs the bundle only while no source it was built from changed or went missing", () => {
      utimesSync(join(root, "cli", "main.ts"), 1000, 1000);
      manifest(2_000_000, ["cli/main.ts"]);
      expect((freshBundle(url) as URL).href).toBe(new URL("dist/main.js", url).href);
      utimesSync(join(root, "cli", "main.ts"), 3000, 3000); // edited after the build
      expect(isFresh(url)).toBe(false);
      manifest(4_000_000, ["cli/main.ts", "cli/gone.ts"]);
      expect(isFresh(url)).toBe(false);
      rmSync(join(root, "dist", "inputs.json"));
      expect(isFresh(url)).toBe(false);
    });
  });
  it("starts without loading what only some commands need (the AWS SDK, supabase-js, pg, yauzl, the Pulumi SDK)", () => {
    // Every module the bundle's entry imports statically, transitively: what every command pays at start.
    const packages = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(join("dist", file), "utf8");
      for (const [, from, bare] of code.matchAll(/^import\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gm)) {
        const target = (from ?? bare)!;
        if (target.startsWith("./")) visit(target.slice(2));
        else packages.add(target);
      }
    };
    visit("main.js");
    expect(seen.size).toBeGreaterThan(3);
    const heavy = /^(@aws-sdk|@supabase|@pulumi)\/|^(pg|yauzl)(\/|$)/;
    expect([...packages].filter((p) => heavy.test(p))).toEqual([]);
  });
});
