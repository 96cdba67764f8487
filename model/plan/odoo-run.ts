import { shellLine, shellQuote } from "../shell.ts";
import { ADDONS_PATH, ODOO_EXECUTABLE } from "./app-image.ts";
import { DOCKER_NETWORK } from "./host-layout.ts";

/**
 * One-shot Odoo runs on a host (database init, module update): the environment's image with the
 * environment's own odoo.conf, so that they see exactly the addons path, database and data_dir the
 * running Odoo sees, started as `odoo` rather than through the image's entrypoint (model/plan/app-image.ts
 * says why: `PG*` variables alone would not decide what such a run connects to).
 *
 * The conf holds the database password: it arrives in the remote command's environment (a Pulumi secret,
 * passed by name through SSH), goes to the container on stdin, and is written inside it to a file only
 * the `odoo` user can read, in the container's own layer, which `--rm` removes.
 */
/** The remote command's variable holding the environment's rendered odoo.conf. */
export const ODOO_CONF_ENV = "ODOOOPS_ODOO_CONF";
/** Where a one-shot container keeps the conf it was given on stdin. */
const ONE_SHOT_CONF = "/tmp/odooops-odoo.conf";
/** A variable whose value, when set, a one-shot run hands to Odoo on stdin (a script for `odoo shell`). */
const STDIN_ENV = "ODOOOPS_ODOO_STDIN";

/** Inside the container: keep the conf from stdin, then start Odoo with it. */
const IN_CONTAINER = [
  `umask 077; cat > ${ONE_SHOT_CONF}`,
  `if [ -n "\${${STDIN_ENV}:-}" ]; then printf '%s\\n' "$${STDIN_ENV}" | ${ODOO_EXECUTABLE} "$@"`,
  `else exec ${ODOO_EXECUTABLE} "$@" </dev/null; fi`,
].join("\n");

/** An argument the host's shell expands from one of its variables (e.g. the modules an update found). */
export interface ShellVariable {
  variable: string;
}
export type OdooArg = string | ShellVariable;

export interface OneShot {
  image: string;
  /** The environment's data_dir on the host (filestore, sessions), mounted where odoo.conf says. */
  dataDir: string;
  /** Odoo's arguments after `odoo`: a subcommand first (`shell`), if any, then the options. */
  args: readonly OdooArg[];
  /** Python for `odoo shell`, given on stdin (by variable name, through the environment). */
  stdinScript?: string;
  /** Variables of the remote command the container gets by name (`-e NAME`): secrets stay out of argv. */
  passEnv?: readonly string[];
}

/** The shell line that runs Odoo once; the caller's environment holds ODOO_CONF_ENV. */
export function oneShotOdoo(run: OneShot): string {
  const [first, ...rest] = run.args;
  // Odoo reads a subcommand only as its first argument: `odoo shell -c …`, never `odoo -c … shell`.
  const command: OdooArg[] =
    typeof first === "string" && !first.startsWith("-")
      ? [first, "-c", ONE_SHOT_CONF, ...rest]
      : ["-c", ONE_SHOT_CONF, ...run.args];
  const docker: OdooArg[] = [
    "docker",
    "run",
    "-i",
    "--rm",
    "--network",
    DOCKER_NETWORK,
    "--entrypoint",
    "sh",
    ...(run.stdinScript === undefined ? [] : ["-e", `${STDIN_ENV}=${run.stdinScript}`]),
    ...(run.passEnv ?? []).flatMap((name) => ["-e", name]),
    "-v",
    `${run.dataDir}:/var/lib/odoo`,
    run.image,
    "-c",
    IN_CONTAINER,
    "odooops-odoo",
    ...command,
  ];
  const words = docker.map((w) => (typeof w === "string" ? shellQuote(w) : `"$${w.variable}"`));
  return `printf '%s\\n' "$${ODOO_CONF_ENV}" | ${words.join(" ")}`;
}

/**
 * `odoo neutralize -d <db>` in a throwaway container of the environment's image, on the database network.
 * Started as `odoo` (not through the image's entrypoint, which would add its own `--db_*` defaults) with a
 * conf holding only the image's addons path (model/plan/app-image.ts), so the neutralize.sql of OCA and custom
 * modules is found; the connection comes from the PG* variables, which libpq reads because such a conf sets
 * no `db_*` option (odoo/sql_db.py connection_info_for passes only the options that are set).
 */
function odooNeutralizeRun(image: string, database: string): string {
  const inContainer = `printf '[options]\\naddons_path = %s\\n' "$1" > /tmp/odooops-neutralize.conf && exec ${ODOO_EXECUTABLE} neutralize -c /tmp/odooops-neutralize.conf -d "$2"`;
  return shellLine(
    "docker",
    "run",
    "--rm",
    "--network",
    DOCKER_NETWORK,
    ...["PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGSSLMODE"].flatMap((v) => ["-e", v]),
    "--entrypoint",
    "sh",
    image,
    "-c",
    inContainer,
    "odooops-neutralize",
    ADDONS_PATH,
    database,
  );
}

/**
 * Odoo's own `odoo neutralize -d <db>` with the environment's image, when the host has that image: it
 * runs the data/neutralize.sql of every installed module, OCA and custom ones included, which the agent's
 * SQL (agent/neutralize/) cannot know. Not pulled here (the host's CLI may have no registry login; the
 * image arrives with the build's Odoo container); Odoo adds an active dummy mail server, so the platform's
 * own steps run after it either way.
 */
export function odooNeutralizeLine(image: string, database: string): string {
  return `if ${shellLine("docker", "image", "inspect", image)} >/dev/null 2>&1; then ${odooNeutralizeRun(image, database)}; fi`;
}
