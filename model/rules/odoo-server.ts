import type { Project } from "../input/schema/project.ts";
import { ADDONS_PATH } from "../plan/app-image.ts";
import type { RuleFinding } from "./finding.ts";
import { odooConfOption } from "./odoo-options.ts";

/**
 * odoo.conf options that weaken a server, from a review of Odoo's own option list
 * (odoo/tools/config.py). The platform-owned ones (proxy_mode, dbfilter, list_db, admin_passwd …) are
 * refused by odoo-options.ts; these are the ones a project could otherwise set. `odooOptions` apply to
 * every stage, production included, so each is judged as if it ran there.
 */
interface OptionRisk {
  /** Whether the value given is the dangerous one. */
  applies: (value: string | number | boolean) => boolean;
  reason: string;
}

const set = (value: string | number | boolean) => value !== false && value !== "" && value !== "False";
const debugLevel = (value: string | number | boolean) => /^debug/i.test(String(value));
const noLimit = (value: string | number | boolean) => Number(value) <= 0;

/** Refused: each opens the server or breaks it outright. */
export const REFUSED_OPTIONS: Readonly<Record<string, OptionRisk>> = {
  dev_mode: {
    applies: set,
    reason:
      "developer mode turns on the Werkzeug debugger (remote code execution from the browser) and reads views and assets from disk",
  },
  http_interface: {
    applies: set,
    reason: "the platform binds Odoo for its proxy; another interface can expose Odoo past TLS and the proxy",
  },
  longpolling_port: {
    applies: set,
    reason:
      "the proxy routes websockets to the platform's gevent port; another port leaves them unrouted or exposed",
  },
  addons_path: {
    applies: set,
    reason:
      "addons come from the reviewed, digest-pinned image; another path loads code nobody built or tested",
  },
  test_enable: {
    applies: set,
    reason: "runs module tests against the live database at start-up, writing test records into it",
  },
  test_file: { applies: set, reason: "runs a Python test file against the live database at start-up" },
  test_commit: { applies: set, reason: "commits the database changes of XML tests into the live database" },
  stop_after_init: { applies: set, reason: "Odoo exits once initialised: the environment goes down" },
  init: { applies: set, reason: "installs modules on every start; module changes are releases, not options" },
  update: {
    applies: set,
    reason: "updates modules on every start; module changes are releases, not options",
  },
};

/** Advised against: legitimate in a few cases, dangerous by default. */
export const ADVISED_OPTIONS: Readonly<Record<string, OptionRisk>> = {
  server_wide_modules: {
    applies: set,
    reason:
      "server-wide modules load for every database and run before anyone logs in; list only modules built for it (e.g. web, queue_job)",
  },
  log_level: {
    applies: debugLevel,
    reason: "debug levels log SQL parameters and RPC payloads, which include passwords and personal data",
  },
  log_handler: {
    applies: (value) => /(sql_db|rpc|http)[^,]*:DEBUG/i.test(String(value)),
    reason:
      "a DEBUG handler on odoo.sql_db or odoo.http.rpc logs queries and payloads with passwords in them",
  },
  log_db: { applies: set, reason: "writes the server log into a database every user of it can read" },
  limit_time_real: {
    applies: noLimit,
    reason: "no real-time limit: a runaway request holds a worker forever",
  },
  limit_time_cpu: { applies: noLimit, reason: "no CPU-time limit: one request can starve the others" },
  limit_memory_hard: { applies: noLimit, reason: "no memory limit: one request can exhaust the host" },
  limit_request: { applies: noLimit, reason: "workers never recycle, so leaks accumulate" },
};

function findings(project: Project, risks: Readonly<Record<string, OptionRisk>>, fix: string): RuleFinding[] {
  return Object.entries(project.odooOptions).flatMap(([key, value]) => {
    const risk = risks[key];
    if (!risk?.applies(value)) return [];
    return [
      {
        field: `odooOptions.${key}`,
        what: `odooOptions sets ${key}: ${String(value)}; ${risk.reason}`,
        fix: fix.replaceAll("<key>", key),
      },
    ];
  });
}

export function refusedOptionFindings(project: Project): RuleFinding[] {
  return findings(project, REFUSED_OPTIONS, "remove <key> from odooOptions");
}

export function advisedOptionFindings(project: Project): RuleFinding[] {
  return findings(
    project,
    ADVISED_OPTIONS,
    "remove <key> from odooOptions, or keep it only while investigating and remove it after",
  );
}

/**
 * What the odoo.conf a production Odoo reads must say, whatever generated it: behind the proxy
 * (proxy_mode, else Odoo trusts no X-Forwarded-* and builds http:// URLs), one database (an anchored
 * dbfilter, no database list, so no database manager), a master password that is not the default.
 */
export function odooConfProblems(conf: string): string[] {
  const option = (key: string) => odooConfOption(conf, key);
  const truthy = (value: string | undefined) => value !== undefined && /^(true|1|yes|on)$/i.test(value);
  const problems: string[] = [];
  if (!truthy(option("proxy_mode")))
    problems.push("proxy_mode is not True although Odoo runs behind the proxy");
  const dbfilter = option("dbfilter");
  if (!dbfilter || !/^\^.*\$$/.test(dbfilter) || /\.\*|%h|%d/.test(dbfilter))
    problems.push(`dbfilter ${dbfilter ? `"${dbfilter}" does not pin one database` : "is missing"}`);
  if (option("list_db") === undefined || truthy(option("list_db")))
    problems.push("list_db is not False, so the database manager is reachable");
  const admin = option("admin_passwd");
  if (!admin || admin === "admin") problems.push("admin_passwd is missing or Odoo's default");
  for (const key of Object.keys(REFUSED_OPTIONS)) {
    const value = option(key);
    // The platform writes the image's addons path itself (model/plan/app-image.ts): only another one is refused.
    if (key === "addons_path" && value === ADDONS_PATH) continue;
    if (value !== undefined && REFUSED_OPTIONS[key]!.applies(value)) problems.push(`${key} is set`);
  }
  return problems;
}
