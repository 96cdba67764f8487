import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UPDATE_LOG_ROOT } from "../../../model/plan/module-update.ts";
import { renderOdooConf } from "../../../model/plan/odoo-config.ts";
import { ODOO_CONF_ENV } from "../../../model/plan/odoo-run.ts";
import { odooLimits } from "../../../model/plan/odoo-sizing.ts";
import { shellQuote } from "../../../model/shell.ts";
import { sizingInput } from "./odoo.ts";

/**
 * Runs the host-side lines for real, in sh, with a `docker` that runs the container's entrypoint and
 * arguments itself, an `odoo` that records how it was started and an `odooops` that records its calls. What is
 * asserted is what Odoo would be started with: its arguments, its config file, its stdin.
 */
export const ONE_SHOT_CONF = "/tmp/odooops-odoo.conf";
export const IMAGE = `ghcr.io/acme/acme@sha256:${"a".repeat(64)}`;
export const CONF = renderOdooConf(
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

export function sandbox(
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
case " $* " in *" shell "*) printf '%s\\n' ${shellQuote(`ODOOOPS_CHANGED_MODULES=${options.changed ?? ""}`)} ;; *" -u "*) exit ${options.updateExit ?? 0} ;; esac
`,
  );
  // docker run [options] IMAGE ARGS…: run the entrypoint with ARGS and the -e variables, like the
  // engine; the container's private /tmp file becomes a file of the sandbox.
  writeFileSync(
    join(dir, "docker.cjs"),
    `const { spawnSync } = require("node:child_process");
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
  // .cjs: CommonJS whatever package.json a temporary directory's parents hold.
  writeFileSync(join(dir, "docker"), `#!/bin/sh\nexec node ${join(dir, "docker.cjs")} "$@"\n`);
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
