import { DEFAULT_SMOKE_CONFIG, SMOKE_CONFIG_IN_REPO } from "../input/smoke/config.ts";
import { shellLine, shellQuote } from "../shell.ts";
import { AGENT_ENV } from "./agent-commands.ts";
import { APP_ADDONS_DIR } from "./app-image.ts";
import { ODOO_HTTP_PORT, odooContainer } from "./host-layout.ts";
import { hostLogDir } from "./module-update.ts";

/**
 * The smoke tests every staging build runs once its Odoo serves the new copy (seed 002: "smoke tests must
 * run on every staging build"), from the host, after the clone, the module update and the container:
 *
 * - the tests are the app repository's `.odooops/smoke.yaml`, read out of the build's own image (the
 *   app image copies the repository into APP_ADDONS_DIR), or the platform's default (log in, every app's
 *   menu, /web/health) when the repository has none, and the record says which;
 * - the agent logs in with a one-time password it sets on the copy and removes afterwards (a masked copy
 *   has no password anyone knows; the agent refuses a database marked production);
 * - Odoo's log since the container started is followed into the agent, which fails the run on any error
 *   or traceback, including those the checks themselves set off;
 * - the result, a G2 evidence candidate, is kept under /var/log/odooops/<slug>/ and printed (the deploy
 *   log keeps it). A failed run exits non-zero: the build is marked failed, and it is the record a QA
 *   tester reads before signing G2.
 */
export interface SmokeStep {
  slug: string;
  /** The build's database (a dump clone names one per build). */
  database: string;
  /** The build's image, which carries the repository's smoke tests. */
  image: string;
  buildId: string;
}

/** How long a replaced container may take to answer /web/health before the tests give up. */
export const SMOKE_WAIT_SECONDS = 300;
export const SMOKE_CONFIG_ENV = "ODOOOPS_SMOKE_CONFIG";
export const SMOKE_CONFIG_IN_IMAGE = `${APP_ADDONS_DIR}/${SMOKE_CONFIG_IN_REPO}`;

export function stagingSmokeCommand(step: SmokeStep): string {
  const container = odooContainer(step.slug);
  const logDir = hostLogDir(step.slug);
  const what = `smoke tests of ${step.database} (build ${step.buildId})`;
  const readTests = shellLine(
    "docker",
    "run",
    "--rm",
    "--network",
    "none",
    "--entrypoint",
    "cat",
    step.image,
    SMOKE_CONFIG_IN_IMAGE,
  );
  const smoke = shellLine(
    "odooops",
    "agent",
    "smoke",
    "--config-env",
    SMOKE_CONFIG_ENV,
    "--url",
    `http://${container}:${ODOO_HTTP_PORT}`,
    "--db",
    step.database,
    "--one-time-login-db-url-env",
    AGENT_ENV.dbUrl,
    "--wait",
    String(SMOKE_WAIT_SECONDS),
    "--logs",
    "-",
    "--format",
    "json",
    "--quiet",
  );
  return [
    "set -eu",
    shellLine("install", "-d", "-m", "0750", logDir),
    `result=${shellQuote(logDir)}/$(date -u +%Y%m%dT%H%M%SZ)-smoke.json`,
    `since=$(${shellLine("docker", "inspect", "-f", "{{.State.StartedAt}}", container)})`,
    `if ${SMOKE_CONFIG_ENV}=$(${readTests} 2>/dev/null); then`,
    `  tests=${shellQuote(`the app repository's ${SMOKE_CONFIG_IN_REPO}`)}`,
    "else",
    `  ${SMOKE_CONFIG_ENV}=${shellQuote(DEFAULT_SMOKE_CONFIG)}`,
    `  tests=${shellQuote(`the platform's default smoke tests (the repository has no ${SMOKE_CONFIG_IN_REPO})`)}`,
    "fi",
    `export ${SMOKE_CONFIG_ENV}`,
    `echo ${shellQuote(`${what} with`)} "$tests" >&2`,
    // A followed log never ends: it goes through a FIFO to the agent, which reads it until it is quiet,
    // and the follower is stopped once the agent is done.
    'fifo=$(mktemp -u); mkfifo -m 0600 "$fifo"',
    `${shellLine("docker", "logs", "--follow", "--since")} "$since" ${shellQuote(container)} >"$fifo" 2>&1 &`,
    "follower=$!",
    "code=0",
    `${smoke} <"$fifo" >"$result" || code=$?`,
    'kill "$follower" 2>/dev/null || true',
    'rm -f "$fifo"',
    'cat "$result"',
    `if [ "$code" -ne 0 ]; then echo ${shellQuote(`${what} failed; the evidence is in`)} "$result" >&2; exit 1; fi`,
  ].join("\n");
}
