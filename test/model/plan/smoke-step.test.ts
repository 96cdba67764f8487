import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_SMOKE_CONFIG } from "../../../model/input/smoke/config.ts";
import { parseSmokeConfig } from "../../../model/input/smoke/load.ts";
import { UPDATE_LOG_ROOT } from "../../../model/plan/module-update.ts";
import { SMOKE_CONFIG_IN_IMAGE, stagingSmokeCommand } from "../../../model/plan/smoke-step.ts";

/**
 * The host script of a staging build's smoke tests, run by bash with `docker` and `odooops` replaced by
 * recording stand-ins (the agent's own behaviour is tested in test/agent/smoke*.test.ts, the real image
 * in test/image). What is checked is the script's wiring: where the tests come from, that the followed
 * log reaches the agent's stdin and the follower is stopped, and that a failure fails the step.
 */
const STEP = {
  slug: "release--v2",
  database: "acme_release__v2_b_41",
  image: "ghcr.io/acme/erp@sha256:1",
  buildId: "b-41",
};
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "odooops-smoke-step-"));
  mkdirSync(join(dir, "bin"));
  const tool = (name: string, body: string) => {
    writeFileSync(join(dir, "bin", name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, "bin", name), 0o755);
  };
  tool(
    "docker",
    `case "$1" in
  inspect) echo 2026-12-05T10:00:00.123456789Z ;;
  run) echo "$@" > "$T/run-args"; if [ -n "\${IMAGE_TESTS:-}" ]; then printf '%s\\n' "$IMAGE_TESTS"; else echo "cat: no such file" >&2; exit 1; fi ;;
  logs) echo "$@" > "$T/logs-args"; echo "INFO acme odoo.modules.loading: Modules loaded."; exec sleep 30 ;;
esac`,
  );
  tool(
    "odooops",
    `echo "$@" > "$T/agent-args"; printf '%s' "$ODOOOPS_SMOKE_CONFIG" > "$T/agent-config"
timeout 2 cat > "$T/agent-stdin" || true
echo '{"gate":"G2","ok":'"$([ "$SMOKE_EXIT" = 0 ] && echo true || echo false)"'}'; exit "$SMOKE_EXIT"`,
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runScript(env: Record<string, string>) {
  // The script writes under /var/log/odooops on a host; here under the test's directory.
  const script = stagingSmokeCommand(STEP).replaceAll(UPDATE_LOG_ROOT, join(dir, "log"));
  const result = spawnSync("bash", ["-c", script], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${join(dir, "bin")}:${process.env.PATH}`, T: dir, ...env },
    timeout: 20_000,
  });
  const read = (name: string) => readFileSync(join(dir, name), "utf8");
  return { ...result, read };
}

describe("a staging build's smoke step on the host", () => {
  it("runs the repository's tests from the image, with the followed log on the agent's stdin", () => {
    const run = runScript({ IMAGE_TESTS: "login: { user: qa }\nmenus: true\n", SMOKE_EXIT: "0" });
    expect(run.stderr).toContain("with the app repository's .odooops/smoke.yaml");
    expect(run.status).toBe(0);
    expect(run.read("run-args")).toContain(
      `--network none --entrypoint cat ${STEP.image} ${SMOKE_CONFIG_IN_IMAGE}`,
    );
    expect(run.read("agent-config")).toBe("login: { user: qa }\nmenus: true");
    expect(run.read("agent-args")).toContain(
      "agent smoke --config-env ODOOOPS_SMOKE_CONFIG --url http://odoo-release--v2:8069 --db acme_release__v2_b_41",
    );
    expect(run.read("logs-args")).toBe(
      "logs --follow --since 2026-12-05T10:00:00.123456789Z odoo-release--v2\n",
    );
    expect(run.read("agent-stdin")).toContain("Modules loaded.");
    // The result is printed for the deploy log and kept on the host.
    expect(run.stdout).toContain('"gate":"G2"');
    const kept = readdirSync(join(dir, "log", STEP.slug)).filter((f) => f.endsWith("-smoke.json"));
    expect(kept).toHaveLength(1);
  });

  it("falls back to the platform's default tests when the repository has none, and says so", () => {
    const run = runScript({ SMOKE_EXIT: "0" });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("the platform's default smoke tests");
    expect(run.read("agent-config")).toBe(DEFAULT_SMOKE_CONFIG);
  });

  it("fails the step when a test fails, naming the build and where the evidence is", () => {
    const run = runScript({ SMOKE_EXIT: "1" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /smoke tests of acme_release__v2_b_41 \(build b-41\) failed; the evidence is in \S+-smoke\.json/,
    );
    expect(run.stdout).toContain('"ok":false');
  });
});

describe("the smoke tests a build can run", () => {
  it.each([
    ["the platform's default", DEFAULT_SMOKE_CONFIG],
    ["the app-repo template's", readFileSync("examples/app-repo/.odooops/smoke.yaml", "utf8")],
  ])("%s are valid and log in without a password variable", (_name, text) => {
    const { config, problems } = parseSmokeConfig("smoke.yaml", text);
    expect(problems).toEqual([]);
    expect(config?.login.passwordEnv).toBeUndefined();
    expect(config?.menus).toBe(true);
  });
});
