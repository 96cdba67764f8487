import type { Client } from "pg";
import { type DatabaseIdentity, databaseIdentity, describeDatabase } from "../../model/data/data-safety.ts";
import { AgentInputError } from "../errors.ts";

/**
 * Database connections come from environment variables only: a URL holds the password, and argv shows
 * up in `ps`, shell history and CI logs. Child tools (pg_dump, psql) get the same facts as libpq's PG*
 * variables, never on their command line.
 */
export interface DatabaseUrl {
  url: string;
  envName: string;
  id: DatabaseIdentity;
}

export function readDatabaseUrl(envName: string, env: NodeJS.ProcessEnv = process.env): DatabaseUrl {
  const url = env[envName];
  if (!url)
    throw new AgentInputError(
      `environment variable ${envName} is not set; it must hold the database URL (postgresql://user:password@host:port/database)`,
    );
  const id = databaseIdentity(url);
  if (!id?.database)
    throw new AgentInputError(
      `${envName} is not a postgresql:// URL with a database name; expected postgresql://user:password@host:port/database`,
    );
  return { url, envName, id };
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function describeUrl(url: string): string {
  const id = databaseIdentity(url);
  return id ? describeDatabase(id) : "(unparsable URL)";
}

const PARAM_ENV: Record<string, string> = {
  sslmode: "PGSSLMODE",
  sslrootcert: "PGSSLROOTCERT",
  sslcert: "PGSSLCERT",
  sslkey: "PGSSLKEY",
  connect_timeout: "PGCONNECT_TIMEOUT",
  options: "PGOPTIONS",
};

/** libpq's environment for a URL, for child processes. */
export function libpqEnv(url: string): Record<string, string> {
  const parsed = new URL(url);
  const env: Record<string, string> = {
    PGHOST: parsed.searchParams.get("host") ?? (parsed.hostname || "localhost"),
    PGPORT: parsed.port || parsed.searchParams.get("port") || "5432",
    PGDATABASE: decodeURIComponent(parsed.pathname.replace(/^\//, "")),
    PGAPPNAME: "odooops-agent",
  };
  if (parsed.username) env.PGUSER = decodeURIComponent(parsed.username);
  if (parsed.password) env.PGPASSWORD = decodeURIComponent(parsed.password);
  for (const [param, name] of Object.entries(PARAM_ENV)) {
    const value = parsed.searchParams.get(param);
    if (value) env[name] = value;
  }
  return env;
}

export interface ConnectOptions {
  /** Every statement of the session is refused if it writes: how the agent never writes to a source. */
  readOnly?: boolean;
}

export async function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
  // Loaded here, not at start-up: most CLI commands never open a database.
  const { default: pg } = await import("pg");
  const client = new pg.Client({
    connectionString: url,
    application_name: "odooops-agent",
    ...(options.readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
  });
  // An idle client's socket error (server restart) must not crash the process.
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

export async function withClient<T>(
  url: string,
  use: (client: Client) => Promise<T>,
  options: ConnectOptions = {},
): Promise<T> {
  const client = await connect(url, options);
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
