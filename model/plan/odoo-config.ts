import { BUNDLES, type BundleName } from "../bundles.ts";
import { isOneLine } from "../one-line.ts";
import type { Stage } from "../stages.ts";
import { ADDONS_PATH } from "./app-image.ts";
import { ODOO_GEVENT_PORT, ODOO_HTTP_PORT } from "./host-layout.ts";
import type { OdooLimits } from "./odoo-sizing.ts";

/**
 * odoo.conf per stage. The platform owns connection, mail, security and addons settings; a project's
 * `odooOptions` add tuning (limits, logging) but can never weaken those, so platform values win. The
 * limits sized from the host (model/plan/odoo-sizing.ts) are defaults a project's options may override.
 */
export const PLATFORM_OWNED_OPTIONS = [
  "admin_passwd",
  "addons_path",
  "db_host",
  "db_port",
  "db_user",
  "db_password",
  "db_name",
  "db_sslmode",
  "dbfilter",
  "list_db",
  "proxy_mode",
  "workers",
  "max_cron_threads",
  "http_port",
  "gevent_port",
  "data_dir",
  "smtp_server",
  "smtp_port",
  "smtp_ssl",
  "smtp_user",
  "smtp_password",
  "without_demo",
] as const;

export type OptionValue = string | number | boolean;

export interface OdooConfSpec {
  stage: Stage;
  odooVersion: string;
  /** Workers, cron threads and limits sized from the host and the database cluster. */
  limits: OdooLimits;
  /** Whether modules installed into this database get demo data (development previews only). */
  demo: boolean;
  /** Mailpit's SMTP endpoint outside production; undefined in production (mail servers live in the DB). */
  smtp: { server: string; port: number } | undefined;
  options: Readonly<Record<string, OptionValue>>;
}

/** Values known only once the cloud answers (cluster host, generated passwords). */
export interface OdooConnection {
  dbHost: string;
  dbPort: number;
  dbUser: string;
  dbPassword: string;
  dbName: string;
  /** The database manager's master password; one-shot runs (init, update) need none and get none. */
  adminPassword: string | undefined;
}

export function odooMajor(version: string): number {
  return Number(version.split(".")[0]);
}

/** The options odoo.conf sets, platform values last so they override any project option. */
export function odooOptions(spec: OdooConfSpec, connection: OdooConnection): [string, OptionValue][] {
  const owned = new Set<string>(PLATFORM_OWNED_OPTIONS);
  const { limits } = spec;
  const sized: [string, OptionValue][] = [
    ["db_maxconn", limits.dbMaxconn],
    ["limit_memory_soft", limits.limitMemorySoft],
    ["limit_memory_hard", limits.limitMemoryHard],
    ["limit_time_cpu", limits.limitTimeCpu],
    ["limit_time_real", limits.limitTimeReal],
  ];
  const project = Object.entries(spec.options).filter(([key]) => !owned.has(key));
  const projectKeys = new Set(project.map(([key]) => key));
  const platform: [string, OptionValue][] = [
    // The image's modules (model/plan/app-image.ts): this file replaces the image's own odoo.conf.
    ["addons_path", ADDONS_PATH],
    ["db_host", connection.dbHost],
    ["db_port", connection.dbPort],
    ["db_user", connection.dbUser],
    ["db_password", connection.dbPassword],
    ["db_name", connection.dbName],
    // Managed PostgreSQL only accepts TLS connections.
    ["db_sslmode", "require"],
    // One database per environment: the selector and the database manager have nothing to offer.
    ["dbfilter", `^${escapeRegExp(connection.dbName)}$`],
    ["list_db", false],
    ["proxy_mode", true],
    ["workers", limits.workers],
    ["max_cron_threads", limits.maxCronThreads],
    ["http_port", ODOO_HTTP_PORT],
    ["gevent_port", ODOO_GEVENT_PORT],
    ["data_dir", "/var/lib/odoo"],
  ];
  if (connection.adminPassword !== undefined) platform.unshift(["admin_passwd", connection.adminPassword]);
  if (spec.smtp)
    platform.push(["smtp_server", spec.smtp.server], ["smtp_port", spec.smtp.port], ["smtp_ssl", false]);
  // Up to 18.0 Odoo loads demo data unless told not to; from 19.0 it only does when asked.
  if (!spec.demo && odooMajor(spec.odooVersion) < 19) platform.push(["without_demo", "all"]);
  return [...sized.filter(([key]) => !projectKeys.has(key)), ...project, ...platform];
}

/**
 * The file, one `key = value` line per option under `[options]`. A key or value that would break its line
 * is refused here too, whatever its source: the project schema refuses it first, with its YAML line.
 */
export function renderOdooConf(spec: OdooConfSpec, connection: OdooConnection): string {
  const lines = odooOptions(spec, connection).map(([key, value]) => {
    const text = formatValue(value);
    if (!OPTION_NAME.test(key) || !isOneLine(text))
      throw new Error(`odoo.conf: option ${JSON.stringify(key)} would not stay on its line`);
    return `${key} = ${text}`;
  });
  return ["[options]", ...lines, ""].join("\n");
}

const OPTION_NAME = /^[a-z][a-z0-9_]*$/;

function formatValue(value: OptionValue): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Command-line flags that make a fresh database get (or not get) demo data on this Odoo version. */
export function demoFlags(odooVersion: string, demo: boolean): string[] {
  if (odooMajor(odooVersion) >= 19) return demo ? ["--with-demo"] : [];
  return demo ? [] : ["--without-demo=all"];
}

/**
 * Modules a new database is initialised with: base, every module of the project's bundles and, when the
 * project signs in through Keycloak, OCA's auth_oidc (server-auth), which the app repo must ship.
 */
export function initialModules(bundles: readonly BundleName[], sso = false): string[] {
  return ["base", ...new Set(bundles.flatMap((b) => BUNDLES[b].modules)), ...(sso ? ["auth_oidc"] : [])];
}
