import { AGENT_ENV } from "./agent-commands.ts";

/** How an environment reaches its database: the environment's own role on a managed cluster. */
export interface DatabaseConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface AdminCredentials {
  user: string;
  password: string;
}

/** A libpq URL; user and password are percent-encoded, the cluster only speaks TLS. */
export function postgresUrl(c: DatabaseConnection): string {
  const user = encodeURIComponent(c.user);
  const password = encodeURIComponent(c.password);
  return `postgresql://${user}:${password}@${c.host}:${c.port}/${encodeURIComponent(c.database)}?sslmode=require`;
}

/**
 * The environment a remote command runs with: libpq's PG* variables and the agent's URL for the
 * environment's role, and the admin role's credentials where a step creates or hands over databases.
 */
export function databaseEnvironment(c: DatabaseConnection, admin?: AdminCredentials): Record<string, string> {
  const env: Record<string, string> = {
    PGHOST: c.host,
    PGPORT: String(c.port),
    PGSSLMODE: "require",
    PGDATABASE: c.database,
    PGUSER: c.user,
    PGPASSWORD: c.password,
    [AGENT_ENV.dbUrl]: postgresUrl(c),
  };
  if (admin) {
    env[AGENT_ENV.adminUser] = admin.user;
    env[AGENT_ENV.adminPassword] = admin.password;
  }
  return env;
}

/** Where a `dump` clone reads production's newest backup, and with which read-only key. */
export interface BackupSource {
  bucket: string;
  prefix: string;
  endpoint: string;
  accessKey: string;
  secretKey: string;
}

export function backupSourceEnvironment(source: BackupSource): Record<string, string> {
  return {
    [AGENT_ENV.cloneSource]: `s3://${source.bucket}/${source.prefix}`,
    AWS_ENDPOINT_URL: source.endpoint,
    AWS_ACCESS_KEY_ID: source.accessKey,
    AWS_SECRET_ACCESS_KEY: source.secretKey,
  };
}
