/**
 * How the data agent knows a database is production, so that neutralize and mask can never run on it.
 * Three independent signals; any one of them refuses:
 *
 * 1. the marker: `ir_config_parameter` key `odooops.stage` with value `production`, written when the
 *    production database is provisioned and carried into every copy (clone and restore rewrite it in the
 *    copy to the copy's own stage);
 * 2. the connection: the URL the command was given is the one in `ODOOOPS_PRODUCTION_DB_URL` (same host,
 *    port and database), or it was read from that very variable;
 * 3. the host: the agent runs with `ODOOOPS_STAGE=production` (it is production's agent).
 *
 * A database without a marker is refused too unless the caller states its stage explicitly, because an
 * unmarked database may be a production database that was never provisioned by odooops.
 *
 * One copy is not made by the agent: a staging `fork` is a new cluster the platform restored from
 * production's backup, so it carries production's marker. The platform's prepare step, run against the
 * fork's own connection, says so with --fork-of-production and the copy's stage; the other two signals
 * still refuse when the connection or the host is production's.
 */

export const STAGE_MARKER_KEY = "odooops.stage";
export const MASKED_MARKER_KEY = "odooops.masked";
export const PRODUCTION_DB_URL_ENV = "ODOOOPS_PRODUCTION_DB_URL";
export const AGENT_STAGE_ENV = "ODOOOPS_STAGE";

export const DATA_STAGES = ["production", "staging", "development"] as const;
export type DataStage = (typeof DATA_STAGES)[number];

export interface DatabaseIdentity {
  host: string;
  port: number;
  database: string;
}

/** Host, port and database of a libpq URL; undefined when it is not one. Never includes credentials. */
export function databaseIdentity(url: string): DatabaseIdentity | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") return undefined;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  const host = (parsed.hostname || parsed.searchParams.get("host") || "localhost").toLowerCase();
  return { host, port: Number(parsed.port || parsed.searchParams.get("port") || 5432), database };
}

export function sameDatabase(a: DatabaseIdentity, b: DatabaseIdentity): boolean {
  return a.host === b.host && a.port === b.port && a.database === b.database;
}

export function describeDatabase(id: DatabaseIdentity): string {
  return `${id.host}:${id.port}/${id.database}`;
}

export interface GuardInput {
  /** What is about to run, for the message: "neutralize", "mask". */
  operation: string;
  target: DatabaseIdentity;
  /** Name of the environment variable the target URL was read from. */
  urlEnvName: string;
  /** Value of ODOOOPS_PRODUCTION_DB_URL, if set. */
  productionUrl: string | undefined;
  /** Value of ODOOOPS_STAGE for the agent process, if set. */
  agentStage: string | undefined;
  /** The database's own `odooops.stage` marker; undefined when the database has none. */
  marker: string | undefined;
  /** The stage the caller vouches for when the database has no marker (`--assume-stage`). */
  assumedStage: DataStage | undefined;
  /** The caller states the database is a fork of production (a new cluster restored from its backup). */
  forkOfProduction?: boolean;
}

/** Why `operation` must not run on the target, or undefined when it may. */
export function productionRefusal(input: GuardInput): string | undefined {
  const where = describeDatabase(input.target);
  const refuse = (why: string, fix: string) =>
    `refusing to ${input.operation} ${where}: ${why}. ${fix} Nothing was changed.`;
  if (input.urlEnvName === PRODUCTION_DB_URL_ENV)
    return refuse(
      `its URL comes from ${PRODUCTION_DB_URL_ENV}, the production connection`,
      "Run it against a copy (odooops agent clone) and pass that copy's variable.",
    );
  const production = input.productionUrl ? databaseIdentity(input.productionUrl) : undefined;
  if (production && sameDatabase(production, input.target))
    return refuse(
      `it is the database ${PRODUCTION_DB_URL_ENV} points at`,
      "Run it against a copy (odooops agent clone) instead.",
    );
  if (input.agentStage === "production")
    return refuse(
      `this agent runs on a production host (${AGENT_STAGE_ENV}=production)`,
      "Run it from the staging or development host that owns the copy.",
    );
  if (input.marker === "production" && input.forkOfProduction && input.assumedStage === "production")
    return refuse(
      "--fork-of-production was given with stage production",
      "A fork is a copy: staging or development.",
    );
  if (input.marker === "production" && !(input.forkOfProduction && input.assumedStage))
    return refuse(
      `the database is marked as production (${STAGE_MARKER_KEY} = production)`,
      "Only copies made by clone or restore carry a non-production marker; a fork of production is relabelled by `odooops agent mark --fork-of-production`.",
    );
  if (input.marker === undefined && input.assumedStage === undefined)
    return refuse(
      `the database has no ${STAGE_MARKER_KEY} marker, so nothing shows it is not production`,
      "If it is a copy, say so with --assume-stage staging (or development); the marker is then written.",
    );
  if (input.marker === undefined && input.assumedStage === "production")
    return refuse("--assume-stage production was given", "Neutralize and mask only run on copies.");
  return undefined;
}

/** What a copy did about personal data and live integrations, for its report. */
export type CopySafety = "masked and neutralized" | "production to production: not masked or neutralized";

/**
 * Why a copy of production into `stage` must not be made as asked, or undefined when it may. A copy
 * outside production always carries personal data and live credentials (mail servers, payment
 * providers, crons) unless it is both masked and neutralized, so both are required; the one exception
 * is a copy that stays production (a migration, a move to another server), which must not be altered.
 */
export function unsafeCopyRefusal(copy: {
  stage: DataStage;
  masked: boolean;
  neutralized: boolean;
}): string | undefined {
  if (copy.stage === "production") return undefined;
  const missing = [copy.neutralized ? "" : "--neutralize", copy.masked ? "" : "--mask <profile>"].filter(
    Boolean,
  );
  if (missing.length === 0) return undefined;
  return `refusing to copy production data into a ${copy.stage} database without ${missing.join(" and ")}: an unmasked, live copy outside production leaks personal data and still sends mail, charges cards and runs crons. Only a --stage production copy (a migration) is made as is. Nothing was changed.`;
}

export function copySafety(stage: DataStage): CopySafety {
  return stage === "production"
    ? "production to production: not masked or neutralized"
    : "masked and neutralized";
}
