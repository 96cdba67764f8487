import { MEMBER_ROLES } from "../../governance/personas.ts";
import type { Project } from "../../input/schema/project.ts";
import type { EnvironmentPlan } from "../environment-plan.ts";
import { serviceHost } from "../services/catalog.ts";

/**
 * Tenant identity (issue 18 part 1), decided as plain data. One Keycloak **realm per project**, not a
 * shared realm with a group per tenant: a realm is Keycloak's isolation boundary (users, sessions,
 * signing keys, clients, login policies and realm admins are per realm), so a tenant admin or a leaked
 * client of one tenant can never list, impersonate or issue tokens for another tenant's users, and a
 * tenant is removed by deleting one realm. The price (one realm's cache per tenant) is small at the
 * tens of tenants seed 003 targets.
 */
export const REALM_PREFIX = "tenant-";

export function realmName(project: string): string {
  return `${REALM_PREFIX}${project}`;
}

/** The realm a Keycloak realm name belongs to, or undefined when it is not a tenant realm. */
export function projectOfRealm(realm: string): string | undefined {
  return realm.startsWith(REALM_PREFIX) ? realm.slice(REALM_PREFIX.length) : undefined;
}

export interface OidcEndpoints {
  issuer: string;
  authorization: string;
  token: string;
  jwks: string;
  userinfo: string;
  endSession: string;
}

/** Keycloak's standard OIDC endpoints of a realm, on the platform's identity host. */
export function oidcEndpoints(platformDomain: string, realm: string): OidcEndpoints {
  const issuer = `https://${serviceHost("keycloak", platformDomain)}/realms/${realm}`;
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    authorization: `${oidc}/auth`,
    token: `${oidc}/token`,
    jwks: `${oidc}/certs`,
    userinfo: `${oidc}/userinfo`,
    endSession: `${oidc}/logout`,
  };
}

/** Odoo's OAuth callback: auth_oauth's controller, which auth_oidc extends, returns to `/auth_oauth/signin`. */
export const ODOO_CALLBACK_PATH = "/auth_oauth/signin";

/** Superset (Flask-AppBuilder) returns to `/oauth-authorized/<provider>`; the provider is the project. */
export function supersetCallback(project: string, platformDomain: string): string {
  return `https://${serviceHost("superset", platformDomain)}/oauth-authorized/${project}`;
}

export interface ClientPlan {
  /** Resource key and Keycloak client id. */
  clientId: string;
  name: string;
  redirectUris: string[];
  webOrigins: string[];
}

export interface IdentityPlan {
  project: string;
  realm: string;
  /** Whether this stack owns the realm (the prod stack) or only adds its own client to it. */
  ownsRealm: boolean;
  mfa: "required" | "optional";
  sessionIdleMinutes: number;
  /** One group per persona the project names, so Odoo and Superset can map group claims to rights. */
  groups: string[];
  clients: ClientPlan[];
}

/**
 * The identity a stack reconciles for a project with `sso`. The prod stack owns the realm, its groups,
 * production's Odoo client and the Superset client; the staging stack adds one client for the
 * non-production environments it runs, so each stack's credentials reach only its own clients and a
 * preview's callback is never accepted by production's client.
 */
/** The Odoo client of a stack: production's own, or the one staging and previews share. */
export function odooClientId(production: boolean): string {
  return production ? "odoo" : "odoo-nonprod";
}

export function identityPlan(
  project: Project,
  environments: readonly EnvironmentPlan[],
  platformDomain: string,
): IdentityPlan | undefined {
  if (!project.sso) return undefined;
  const production = environments.some((e) => e.stage === "production");
  const hosts = [...new Set(environments.flatMap((e) => e.hostnames))].sort();
  const odoo: ClientPlan = {
    clientId: odooClientId(production),
    name: production ? "Odoo (production)" : "Odoo (staging and previews)",
    redirectUris: hosts.map((h) => `https://${h}${ODOO_CALLBACK_PATH}`),
    webOrigins: hosts.map((h) => `https://${h}`),
  };
  const superset: ClientPlan = {
    clientId: "superset",
    name: "Superset dashboards",
    redirectUris: [supersetCallback(project.name, platformDomain)],
    webOrigins: [`https://${serviceHost("superset", platformDomain)}`],
  };
  return {
    project: project.name,
    realm: realmName(project.name),
    ownsRealm: production,
    mfa: project.sso.mfa,
    sessionIdleMinutes: project.sso.sessionIdleMinutes,
    groups: production ? MEMBER_ROLES.filter((p) => project.personas[p] !== undefined) : [],
    clients: production ? (project.sso.superset ? [odoo, superset] : [odoo]) : hosts.length > 0 ? [odoo] : [],
  };
}
