import { type DatabaseConnection, postgresUrl } from "../database-env.ts";
import { type ServiceName, serviceHost } from "./catalog.ts";
import type { ServicePlan } from "./plan.ts";

export function serviceContainerName(service: ServiceName): string {
  return `odooops-${service}`;
}

/**
 * Each service's container environment: its own database role (TLS only) and its public URL behind the
 * proxy. Values are the services' documented variables; the whole list is a Pulumi secret.
 */
export function serviceEnvironment(s: ServicePlan, c: DatabaseConnection, platformDomain: string): string[] {
  const url = `https://${s.hostname}`;
  const vars: Record<ServiceName, Record<string, string>> = {
    keycloak: {
      KC_DB: "postgres",
      KC_DB_URL: `jdbc:postgresql://${c.host}:${c.port}/${c.database}?sslmode=require`,
      KC_DB_USERNAME: c.user,
      KC_DB_PASSWORD: c.password,
      KC_HOSTNAME: url,
      KC_HTTP_ENABLED: "true",
      KC_PROXY_HEADERS: "xforwarded",
    },
    n8n: {
      DB_TYPE: "postgresdb",
      DB_POSTGRESDB_HOST: c.host,
      DB_POSTGRESDB_PORT: String(c.port),
      DB_POSTGRESDB_DATABASE: c.database,
      DB_POSTGRESDB_USER: c.user,
      DB_POSTGRESDB_PASSWORD: c.password,
      DB_POSTGRESDB_SSL_ENABLED: "true",
      N8N_HOST: s.hostname,
      N8N_PROTOCOL: "https",
      WEBHOOK_URL: `${url}/`,
      N8N_DIAGNOSTICS_ENABLED: "false",
    },
    mattermost: {
      MM_SQLSETTINGS_DRIVERNAME: "postgres",
      MM_SQLSETTINGS_DATASOURCE: postgresUrl(c),
      MM_SERVICESETTINGS_SITEURL: url,
    },
    superset: {
      SUPERSET_DATABASE_URI: postgresUrl(c).replace(/^postgresql:/, "postgresql+psycopg2:"),
      SUPERSET_PUBLIC_URL: url,
      KEYCLOAK_URL: `https://${serviceHost("keycloak", platformDomain)}`,
    },
  };
  return Object.entries(vars[s.service]).map(([k, v]) => `${k}=${v}`);
}
