import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { initDatabaseCommand } from "../../model/agent-commands.ts";
import {
  CHANGED_MODULES_SCRIPT,
  moduleUpdateCommand,
  UPDATE_LOG_ROOT,
  type UpdateStep,
} from "../../model/module-update.ts";
import { renderOdooConf } from "../../model/odoo-config.ts";
import { ODOO_CONF_ENV, oneShotOdoo } from "../../model/odoo-run.ts";
import { odooLimits } from "../../model/odoo-sizing.ts";
import { sizingInput } from "./support/odoo.ts";

/**
 * Runs the host-side lines for real, in sh, with a `docker` that runs the container's entrypoint and
 * arguments itself, an `odoo` that records how it was started and an `odooops` that records its calls. What is
 * asserted is what Odoo would be started with: its arguments, its config file, its stdin.
 */
const ONE_SHOT_CONF = "/tmp/odooops-odoo.conf";
const IMAGE = `ghcr.io/acme/acme@sha256:${"a".repeat(64)}`;
const CONF = renderOdooConf(
  {
    stage: "production",
    odooVersion: "18.0",
    limits: odooLimits(sizingInput()),
    demo: false,
    smtp: undefined,
    options: {},
  },
  {
    dbHost: "private-db.example",
    dbPort: 25060,
    dbUser: "odoo_acme_main",
    dbPassword: "s3cret-db-password",
    dbName: "acme",
    adminPassword: undefined,
  },
);

function sandbox(
  options: { changed?: string; updateExit?: number; backupExit?: number; engineDown?: boolean } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "odoo-run-"));
  const record = join(dir, "calls.log");
  // Odoo, as far as this test cares: what it was started with.
  writeFileSync(
    join(dir, "odoo"),
    `#!/bin/sh
n=$(ls -d ${dir}/run-* 2>/dev/null | wc -l); out=${dir}/run-$n; mkdir "$out"
printf '%s\\n' odoo "$@" > "$out/args"
prev=; for a in "$@"; do if [ "$prev" = -c ]; then cp "$a" "$out/conf"; stat -c %a "$a" > "$out/mode"; fi; prev=$a; done
cat > "$out/stdin"
echo "odoo $*" >> ${record}
case " $* " in *" shell "*) echo "ODOOOPS_CHANGED_MODULES=${options.changed ?? ""}" ;; *" -u "*) exit ${options.updateExit ?? 0} ;; esac
`,
  );
  // docker run [options] IMAGE ARGS…: run the entrypoint with ARGS and the -e variables, like the
  // engine; the container's private /tmp file becomes a file of the sandbox.
  writeFileSync(
    join(dir, "docker"),
    `#!/usr/bin/env node
const { spawnSync } = require("node:child_process");
const a = process.argv.slice(2); const env = { PATH: process.env.PATH };
if (${options.engineDown === true}) { console.error("Cannot connect to the Docker daemon at unix:///var/run/docker.sock"); process.exit(125); }
require("node:fs").appendFileSync(${JSON.stringify(record)}, "docker " + JSON.stringify(a) + "\\n");
let i = 1; let entrypoint;
for (; i < a.length && a[i].startsWith("-"); i++) {
  if (a[i] === "-e") { const [k, ...v] = a[++i].split("="); env[k] = v.join("="); }
  else if (a[i] === "--entrypoint") entrypoint = a[++i];
  else if (a[i] === "--network" || a[i] === "-v") i++;
}
const conf = ${JSON.stringify(dir)} + "/container-conf-" + i + "-" + Date.now();
const cmd = [entrypoint, ...a.slice(i + 1)].map((w) => w.replaceAll(${JSON.stringify(ONE_SHOT_CONF)}, conf));
const r = spawnSync(cmd[0], cmd.slice(1), { stdio: "inherit", env });
process.exit(r.status ?? 1);
`,
  );
  writeFileSync(
    join(dir, "odooops"),
    `#!/bin/sh\necho "odooops $*" >> ${record}\n[ ${options.backupExit ?? 0} = 0 ] || { echo "backup of acme FAILED" >&2; exit ${options.backupExit}; }\n`,
  );
  // The agent container's psql, asked whether the database already holds Odoo: it does not.
  writeFileSync(join(dir, "odooops-exec"), `#!/bin/sh\necho "odooops-exec $*" >> ${record}\necho f\n`);
  for (const f of ["odoo", "docker", "odooops", "odooops-exec"]) chmodSync(join(dir, f), 0o755);
  const sh = (script: string) =>
    spawnSync("sh", ["-c", script.replaceAll(UPDATE_LOG_ROOT, join(dir, "log"))], {
      env: { PATH: `${dir}:${process.env.PATH}`, [ODOO_CONF_ENV]: CONF },
      encoding: "utf8",
    });
  const run = (n: number) => ({
    args: readFileSync(join(dir, `run-${n}`, "args"), "utf8")
      .trimEnd()
      .split("\n")
      .map((a) => (a.startsWith(`${dir}/container-conf-`) ? ONE_SHOT_CONF : a)),
    conf: readFileSync(join(dir, `run-${n}`, "conf"), "utf8"),
    mode: readFileSync(join(dir, `run-${n}`, "mode"), "utf8").trim(),
    stdin: readFileSync(join(dir, `run-${n}`, "stdin"), "utf8"),
  });
  const calls = () => readFileSync(record, "utf8").trimEnd().split("\n");
  return { dir, sh, run, calls };
}

describe("a one-shot Odoo run on a host", () => {
  it("starts Odoo itself with the environment's conf, which names every database setting", () => {
    const box = sandbox();
    const line = oneShotOdoo({
      image: IMAGE,
      dataDir: "/mnt/odooops/main",
      args: ["-d", "acme", "-i", "base,crm"],
    });
    expect(box.sh(line).status).toBe(0);
    const { args, conf, mode, stdin } = box.run(0);
    expect(args).toEqual(["odoo", "-c", "/tmp/odooops-odoo.conf", "-d", "acme", "-i", "base,crm"]);
    expect(conf.trimEnd()).toBe(CONF.trimEnd());
    expect(mode).toBe("600");
    expect(stdin).toBe("");
    // Even the official entrypoint, were it used, would add no `--<param> <env default>`: it does so only
    // when `grep -E "^\s*\b<param>\b\s*="` misses in $ODOO_RC. Run that very test on the conf.
    for (const param of ["db_host", "db_port", "db_user", "db_password"])
      expect(() =>
        execFileSync("grep", ["-q", "-E", `^\\s*\\b${param}\\b\\s*=`, join(box.dir, "run-0", "conf")]),
      ).not.toThrow();
    const docker = box.calls().find((c) => c.startsWith("docker "))!;
    expect(docker).toContain(`"--entrypoint","sh"`);
    expect(docker).toContain(`"-v","/mnt/odooops/main:/var/lib/odoo"`);
    expect(docker).not.toContain("s3cret-db-password");
  });

  it("puts a subcommand first and hands `odoo shell` its script on stdin", () => {
    const box = sandbox();
    const line = oneShotOdoo({
      image: IMAGE,
      dataDir: "/d",
      args: ["shell", "-d", "acme"],
      stdinScript: "print(1)",
    });
    expect(box.sh(line).status).toBe(0);
    expect(box.run(0).args.slice(0, 3)).toEqual(["odoo", "shell", "-c"]);
    expect(box.run(0).stdin).toBe("print(1)\n");
  });
});

describe("database init", () => {
  const init = initDatabaseCommand({
    filestore: "/tmp/odooops-test-filestore-unused",
    database: "acme_feature__x",
    owner: "odoo_acme_feature__x",
    image: IMAGE,
    odooVersion: "18.0",
    modules: ["base", "crm"],
    demo: true,
    stage: "development",
  });
  const withoutFilestore = init.replace(/^install -d .*$/m, "true");

  it("installs with the environment's conf, then marks the database", () => {
    const box = sandbox();
    const result = box.sh(withoutFilestore);
    expect(result.status, result.stderr).toBe(0);
    expect(box.run(0).args).toEqual([
      "odoo",
      "-c",
      ONE_SHOT_CONF,
      "-d",
      "acme_feature__x",
      "-i",
      "base,crm",
      "--stop-after-init",
      "--no-http",
    ]);
    expect(box.run(0).conf.trimEnd()).toBe(CONF.trimEnd());
    expect(box.calls().at(-1)).toMatch(/^odooops agent mark .*--stage development/);
  });

  it("says in one line what failed, and marks nothing, when the engine does not answer", () => {
    const box = sandbox({ engineDown: true });
    const result = box.sh(withoutFilestore);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      `database init of acme_feature__x with ${IMAGE} failed: no Odoo was started on it`,
    );
    expect(box.calls().some((c) => c.startsWith("odooops agent mark"))).toBe(false);
  });
});

describe("the module update of a new image", () => {
  const step = (over: Partial<UpdateStep> = {}): UpdateStep => ({
    stage: "production",
    slug: "main",
    database: "acme",
    image: IMAGE,
    dataDir: "/mnt/odooops/main",
    release: "r-7",
    ...over,
  });

  it("in production: backs up first, then updates exactly the modules whose manifest version changed", () => {
    const box = sandbox({ changed: "sale,stock" });
    const result = box.sh(moduleUpdateCommand(step()));
    expect(result.status, result.stderr).toBe(0);
    const calls = box.calls();
    expect(calls[0]).toBe("odooops agent backup --db-url-env ODOOOPS_DB_URL --pre-deploy --release r-7");
    expect(box.run(0).args.slice(0, 2)).toEqual(["odoo", "shell"]);
    expect(box.run(0).stdin).toBe(`${CHANGED_MODULES_SCRIPT}\n`);
    expect(box.run(1).args).toEqual([
      "odoo",
      "-c",
      "/tmp/odooops-odoo.conf",
      "-d",
      "acme",
      "--no-http",
      "-u",
      "sale,stock",
      "--stop-after-init",
    ]);
    const record = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
    expect(record).toMatchObject({
      kind: "module-update",
      database: "acme",
      image: IMAGE,
      modules: "sale,stock",
      result: "passed",
    });
    expect(readFileSync(`${record.log}.json`, "utf8")).toContain('"result":"passed"');
    expect(statSync(record.log).isFile()).toBe(true);
  });

  it("in production: runs no update when no version changed", () => {
    const box = sandbox({ changed: "" });
    const result = box.sh(moduleUpdateCommand(step()));
    expect(result.status, result.stderr).toBe(0);
    expect(box.calls().filter((c) => c.startsWith("odoo "))).toHaveLength(1);
    expect(JSON.parse(result.stdout.trim().split("\n").at(-1)!)).toMatchObject({
      modules: "",
      result: "passed",
    });
  });

  it("outside production: updates all modules, without a backup", () => {
    const box = sandbox();
    const result = box.sh(
      moduleUpdateCommand(step({ stage: "staging", slug: "release--v2", release: undefined })),
    );
    expect(result.status, result.stderr).toBe(0);
    expect(box.calls().some((c) => c.startsWith("odooops"))).toBe(false);
    expect(box.run(0).args).toContain("all");
  });

  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const failure = (database: string, at: string, slug: string) =>
    new RegExp(
      `^module update of ${database} with ${literal(IMAGE)} failed at ${literal(at)}: the running Odoo keeps the previous image; log: .*/${slug}/\\d{8}T\\d{6}Z-update\\.log$`,
    );

  it("fails with one line naming database, image and log when Odoo's update fails, after recording it", () => {
    const box = sandbox({ updateExit: 255 });
    const result = box.sh(
      moduleUpdateCommand(step({ stage: "development", slug: "feature--x", database: "acme_feature__x" })),
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(
      failure("acme_feature__x", "odoo -u all", "feature--x"),
    );
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ result: "failed", modules: "all" });
  });

  it("stops before any update when the pre-deploy backup fails", () => {
    const box = sandbox({ backupExit: 1, changed: "sale" });
    const result = box.sh(moduleUpdateCommand(step()));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("backup of acme FAILED");
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(failure("acme", "the pre-deploy backup", "main"));
    expect(box.calls().some((c) => c.startsWith("docker "))).toBe(false);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ result: "failed", modules: "" });
  });

  it("says so in one line when the host's Docker engine does not answer", () => {
    const box = sandbox({ engineDown: true });
    const result = box.sh(moduleUpdateCommand(step()));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Cannot connect to the Docker daemon");
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(
      failure("acme", "listing the changed modules", "main"),
    );
  });
});
