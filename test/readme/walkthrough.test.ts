import { execFileSync, spawn } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpsOdoo, type OdooStandIn, testCertificates } from "../support/tls.ts";

const REPO = resolve(import.meta.dirname, "../..");
const BIN = join(REPO, "bin/odooops.js");

/** The fenced block between `<!-- walkthrough:begin -->` and `<!-- walkthrough:end -->`, one command a line. */
function walkthroughCommands(readme: string): string[] {
  const marked = /<!-- walkthrough:begin -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!marked?.[1]) throw new Error("README.md: no ```sh block between the walkthrough markers");
  return marked[1]
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** Variables the walk-through must not inherit from whoever runs the tests. */
const FOREIGN = [
  "ODOOOPS_CONTROL_PLANE_URL",
  "ODOOOPS_ACTOR",
  "ODOOOPS_BUILD_KEY",
  "ODOOOPS_SESSION_FILE",
  "SUPABASE_URL",
  "SUPABASE_KEY",
  "SUPABASE_SERVICE_ROLE_KEY",
  "SUPABASE_ACCESS_TOKEN",
  "GITHUB_TOKEN",
  "GITHUB_SHA",
  "GITHUB_SERVER_URL",
  "GITHUB_REPOSITORY",
  "GITHUB_RUN_ID",
];

/**
 * `npx odooops` is this checkout's CLI (never the registry); any other npx is refused. After the command
 * the shell's environment is written out, so `export`, `unset` and `eval` carry over to the next line as
 * in the reader's shell.
 */
const PRELUDE = `set -o pipefail
npx() { if [ "$1" = odooops ]; then shift; node "$WALKTHROUGH_BIN" "$@"; else echo "npx $1: the walk-through runs npx odooops only" >&2; return 127; fi; }
`;

interface Step {
  code: number;
  stdout: string;
  stderr: string;
  env: NodeJS.ProcessEnv;
}

function runStep(command: string, cwd: string, env: NodeJS.ProcessEnv, envFile: string): Promise<Step> {
  const script = `${PRELUDE}${command}\n__status=$?\nenv -0 > "$WALKTHROUGH_ENV_FILE"\nexit $__status\n`;
  return new Promise((done, fail) => {
    const child = spawn("bash", ["-c", script], {
      cwd,
      env: { ...env, WALKTHROUGH_BIN: BIN, WALKTHROUGH_ENV_FILE: envFile },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", fail);
    child.on("close", (code) => {
      const after: NodeJS.ProcessEnv = {};
      for (const entry of readFileSync(envFile, "utf8").split("\0")) {
        const at = entry.indexOf("=");
        if (at > 0) after[entry.slice(0, at)] = entry.slice(at + 1);
      }
      delete after.WALKTHROUGH_BIN;
      delete after.WALKTHROUGH_ENV_FILE;
      done({ code: code ?? -1, stdout, stderr, env: after });
    });
  });
}

/**
 * Issue #14's "done when": from a fresh clone, `control-plane up` and then the README's walk-through —
 * sync, a build, a release through G1–G3 by different members, approval, promotion, the deployment, the
 * health check as G4 evidence, G4 — each line run as written by bash against the real CLI. The clone is
 * a copy of what the walk-through reads, committed to a new Git repository in a temporary directory, so
 * the control plane's data (`.odooops/control-plane`) and the promoted project file stay there.
 */
describe("README walk-through, run as written", () => {
  const parent = mkdtempSync(join(tmpdir(), "odooops-readme-"));
  chmodSync(parent, 0o755); // as root the server runs as postgres, which must reach the directory
  const clone = join(parent, "clone");
  const envFile = join(parent, "env");
  const tls = testCertificates();
  let odoo: OdooStandIn | undefined;
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    for (const path of [
      "README.md",
      "examples",
      "projects",
      "Pulumi.yaml",
      "Pulumi.staging.yaml",
      "Pulumi.prod.yaml",
    ])
      cpSync(join(REPO, path), join(clone, path), { recursive: true });
    chmodSync(clone, 0o755);
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=walk", "-c", "user.email=walk@example.com", ...args], {
        cwd: clone,
        stdio: "ignore",
      });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "fresh clone");
    writeFileSync(join(parent, "ca.pem"), tls.ca);
    odoo = await httpsOdoo(tls, "sha256:unset");
    env = { ...process.env, ODOO_URL: odoo.url, ODOO_CA: join(parent, "ca.pem") };
    for (const name of FOREIGN) delete env[name];
  });

  afterAll(async () => {
    // Whatever failed: the cluster the walk-through started stops before its directory goes.
    try {
      execFileSync("node", [BIN, "control-plane", "down"], { cwd: clone, env, stdio: "ignore" });
    } finally {
      await odoo?.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it("every command of the marked block succeeds, ending with every gate passed", async () => {
    const commands = walkthroughCommands(readFileSync(join(REPO, "README.md"), "utf8"));
    expect(commands.length).toBeGreaterThan(10);
    const outputs: string[] = [];
    const transcript: string[] = [];
    for (const command of commands) {
      // The stand-in serves whatever image the walk-through has named as the release's.
      const image = env.IMAGE;
      if (image && odoo) odoo.set({ digest: image.slice(image.indexOf("@") + 1) });
      const started = Date.now();
      const step = await runStep(command, clone, env, envFile);
      transcript.push(`$ ${command}   (${Date.now() - started} ms)`, step.stdout, step.stderr);
      // The whole transcript: a line whose failure bash hides (eval, $(…)) breaks a later one, and its
      // stderr is above.
      expect(step.code, transcript.join("\n")).toBe(0);
      env = step.env;
      outputs.push(step.stdout);
    }
    if (process.env.WALKTHROUGH_VERBOSE) console.log(transcript.join("\n"));
    const all = outputs.join("");
    expect(all).toContain("synced 2 project(s)");
    expect(all).toContain("recorded build b-2001 of acme-erp release/2027.01 (staging)");
    for (const [gate, who] of [
      ["G1", "rm-ben"],
      ["G2", "qa-ana"],
      ["G3", "rm-ben"],
      ["G4", "sre-sam"],
    ])
      expect(all).toMatch(new RegExp(`^${gate} of r-2027\\.01 passed.*signed by ${who}`, "m"));
    expect(all).toContain("approved release r-2027.01 for production");
    expect(all).toContain("G4 health_checks evidence attached to r-2027.01");
    expect(all).toContain("next: nothing, every gate has passed");
    expect(readFileSync(join(clone, "examples/projects/acme-erp.yaml"), "utf8")).toContain(
      `image: ${env.IMAGE}\n`,
    );
  }, 120_000); // 45–70 s measured on two shared cores under load (control-plane up is 12 s of it)
});
