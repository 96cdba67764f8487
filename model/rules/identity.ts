import { z } from "zod";
import { ODOO_CALLBACK_PATH, supersetCallback } from "../plan/identity/realm.ts";

/**
 * The mandatory rules for the OIDC clients of tenant realms (issue 18 part 1), as pure functions the
 * policy pack, the offline plan and the tests all call. A finding is `what` + `fix`.
 */
export interface ClientFinding {
  what: string;
  fix: string;
}

/** The inputs of a keycloak:openid/client:Client the rules read; unknown keys pass through. */
export const oidcClientSchema = z.looseObject({
  clientId: z.string(),
  accessType: z.string().default("CONFIDENTIAL"),
  clientSecret: z.string().optional(),
  standardFlowEnabled: z.boolean().default(false),
  implicitFlowEnabled: z.boolean().default(false),
  directAccessGrantsEnabled: z.boolean().default(false),
  pkceCodeChallengeMethod: z.string().optional(),
  validRedirectUris: z.array(z.string()).default([]),
});
export type OidcClient = z.output<typeof oidcClientSchema>;

/** A public client runs in a browser or on a device: a secret given to it is a secret published. */
export function publicClientSecretFinding(client: OidcClient): ClientFinding | undefined {
  if (client.accessType !== "PUBLIC" || !client.clientSecret) return undefined;
  return {
    what: `client ${client.clientId} is PUBLIC but carries a client secret, which every user of it can read`,
    fix: "make it CONFIDENTIAL (a server-side app such as Odoo or Superset) or drop the secret",
  };
}

/** Code flow with PKCE S256 only: no implicit flow, no password grant, no plain challenge. */
export function pkceFindings(client: OidcClient): ClientFinding[] {
  const findings: ClientFinding[] = [];
  if (client.standardFlowEnabled && client.pkceCodeChallengeMethod !== "S256")
    findings.push({
      what: `client ${client.clientId} accepts authorization codes without PKCE S256 (pkceCodeChallengeMethod: ${client.pkceCodeChallengeMethod ?? "unset"})`,
      fix: 'set pkceCodeChallengeMethod: "S256" (auth_oidc sends an S256 challenge)',
    });
  if (client.implicitFlowEnabled)
    findings.push({
      what: `client ${client.clientId} allows the implicit flow, which returns tokens in the URL and cannot use PKCE`,
      fix: "set implicitFlowEnabled: false and use the authorization code flow",
    });
  if (client.directAccessGrantsEnabled)
    findings.push({
      what: `client ${client.clientId} allows the password grant, which bypasses PKCE, MFA and the login page`,
      fix: "set directAccessGrantsEnabled: false",
    });
  return findings;
}

/**
 * Every redirect URI a tenant's client may name: its environments' Odoo callbacks and the project's
 * Superset callback, exactly. No wildcard: Keycloak matches `*` as any suffix, which would let a
 * crafted path or a look-alike host receive the authorization code.
 */
export function tenantRedirectUris(project: string, platformDomain: string, hostnames: readonly string[]) {
  return new Set([
    ...hostnames.map((h) => `https://${h}${ODOO_CALLBACK_PATH}`),
    supersetCallback(project, platformDomain),
  ]);
}

export function redirectFindings(client: OidcClient, allowed: ReadonlySet<string>): ClientFinding[] {
  return client.validRedirectUris
    .filter((uri) => !allowed.has(uri))
    .map((uri) => ({
      what: `client ${client.clientId} accepts redirect URI ${uri}, which is not a callback of the tenant's hosts${uri.includes("*") ? " (wildcards match any suffix)" : ""}`,
      fix: `list exact callbacks of the tenant's own hosts, such as https://<host>${ODOO_CALLBACK_PATH}`,
    }));
}
