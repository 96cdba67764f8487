import { shellLine, shellQuote } from "../shell.ts";
import type { Stage } from "../stages.ts";
import { AGENT_ENV } from "./agent-commands.ts";
import { type OdooArg, oneShotOdoo } from "./odoo-run.ts";

/**
 * The module update every new image runs before traffic moves to it (components/module-update.ts).
 *
 * Which modules:
 * - staging and development: `-u all`, as Odoo.sh does on each build of those branches. A staging build
 *   is a fresh copy of production running new code; updating everything is the safe superset of what
 *   production will update, and proves every module's data still loads.
 * - production: the installed modules whose manifest version differs from the version the database
 *   records (`ir_module_module.latest_version`, against `installed_version`, which Odoo computes from the
 *   image's manifests). This is Odoo's own contract: migration scripts are keyed on the manifest version,
 *   and Odoo.sh updates exactly those modules on a production deploy. The checksum approach of OCA's
 *   `module_auto_update` / `click-odoo-update` also catches changes made without a version bump, but it
 *   needs a module installed in every database (or click-odoo-contrib in every image) and stores its own
 *   checksums; the version rule needs nothing the official image lacks, and a forgotten bump shows on
 *   staging, where everything is updated.
 *
 * Production takes a pre-deploy backup first (the agent records it as evidence); a failed backup stops
 * the deploy before anything is touched. Each run leaves its log and a JSON record (database, image,
 * modules, result, times) under /var/log/odooops/<slug>/ on the host and prints the record, which the
 * deploy log keeps. A failed update exits non-zero with one line naming database, image and log: the
 * deployment stops there and the running container, which depends on this step, is not replaced.
 */
export const UPDATE_LOG_ROOT = "/var/log/odooops";

/** Where an environment's step logs and records are kept on its host (module update, smoke tests). */
export function hostLogDir(slug: string): string {
  return `${UPDATE_LOG_ROOT}/${slug}`;
}

export interface UpdateStep {
  stage: Stage;
  slug: string;
  database: string;
  image: string;
  /** The environment's data_dir on the host. */
  dataDir: string;
  /** Production: the release (or image) the pre-deploy backup is taken for. */
  release: string | undefined;
}

export type UpdateSelection = "all" | "changed-versions";

export function updateSelection(stage: Stage): UpdateSelection {
  return stage === "production" ? "changed-versions" : "all";
}

/** Prints the installed modules whose manifest version is not the one the database was updated to. */
export const CHANGED_MODULES_SCRIPT = [
  "mods = env['ir.module.module'].search([('state', '=', 'installed')])",
  "info = {m.name: m.get_module_info(m.name) for m in mods}",
  "changed = sorted(m.name for m in mods if info[m.name] and m.installed_version != m.latest_version)",
  "print('ODOOOPS_CHANGED_MODULES=' + ','.join(changed))",
].join("\n");

const DB_OPTIONS = (database: string) => ["-d", database, "--no-http"];

export function moduleUpdateCommand(step: UpdateStep): string {
  const logDir = hostLogDir(step.slug);
  const run = (args: OdooArg[], stdinScript?: string) =>
    oneShotOdoo({ image: step.image, dataDir: step.dataDir, args, ...(stdinScript ? { stdinScript } : {}) });
  const what = `module update of ${step.database} with ${step.image}`;
  const lines = [
    "set -eu",
    shellLine("install", "-d", "-m", "0750", logDir),
    `stamp=$(date -u +%Y%m%dT%H%M%SZ); started=$(date -u +%Y-%m-%dT%H:%M:%SZ)`,
    `log=${shellQuote(logDir)}/$stamp-update.log`,
    ': > "$log"',
    "modules=",
    // The record of the run, printed (the deploy log keeps it) and kept beside the log.
    "record() {",
    `  printf '{"kind":"module-update","database":"%s","image":"%s","modules":"%s","result":"%s","startedAt":"%s","finishedAt":"%s","log":"%s"}\\n' \\`,
    `    ${shellQuote(step.database)} ${shellQuote(step.image)} "$modules" "$1" "$started" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$log" | tee "$log.json"`,
    "}",
    // Whatever failed (backup, engine, Odoo), one line last says what, where, and that nothing moved.
    "fail() {",
    "  record failed",
    '  tail -n 40 "$log" >&2',
    `  echo ${shellQuote(`${what} failed at`)} "$1: the running Odoo keeps the previous image; log: $log" >&2`,
    "  exit 1",
    "}",
  ];
  if (step.stage === "production")
    lines.push(
      // Through the production agent, which holds the database URL, the backup location and the filestore.
      `${shellLine(
        "odooops",
        "agent",
        "backup",
        "--db-url-env",
        AGENT_ENV.dbUrl,
        "--pre-deploy",
        "--release",
        step.release ?? step.image,
      )} >>"$log" 2>&1 || fail "the pre-deploy backup"`,
    );
  if (updateSelection(step.stage) === "all") lines.push("modules=all");
  else
    lines.push(
      `${run(["shell", ...DB_OPTIONS(step.database)], CHANGED_MODULES_SCRIPT)} > "$log.modules" 2>>"$log" || fail "listing the changed modules"`,
      `modules=$(sed -n 's/^ODOOOPS_CHANGED_MODULES=//p' "$log.modules"); rm -f "$log.modules"`,
      // The list comes from the app image's own code: anything but module names (a second line, a quote
      // that would forge fields of the JSON record) stops the update before it reaches -u or the record.
      `case "$modules" in *[!A-Za-z0-9_,]*) modules=; fail "listing the changed modules (the image printed something other than module names)";; esac`,
    );
  lines.push(
    `if [ -n "$modules" ]; then`,
    `  ${run([...DB_OPTIONS(step.database), "-u", { variable: "modules" }, "--stop-after-init"])} >>"$log" 2>&1 || fail "odoo -u $modules"`,
    "fi",
    "record passed",
  );
  return lines.join("\n");
}
