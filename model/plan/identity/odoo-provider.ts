import { type OidcEndpoints, oidcEndpoints, realmName } from "./realm.ts";

/**
 * The `auth.oauth.provider` record Odoo signs in with, in OCA auth_oidc's own fields
 * (OCA/server-auth auth_oidc/models/auth_oauth_provider.py: flow, client_secret, token_endpoint,
 * jwks_uri, token_map; auth_oauth's name, client_id, auth_endpoint, scope, body, enabled).
 * `id_token_code` is its authorization-code flow; its controller always sends a PKCE S256 challenge.
 */
export interface OdooOidcProvider {
  name: string;
  flow: "id_token_code";
  client_id: string;
  enabled: true;
  body: string;
  scope: string;
  auth_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  /** auth_oauth keys users by `user_id`; OIDC's stable subject is `sub`. */
  token_map: string;
}

export function odooOidcProvider(
  project: string,
  platformDomain: string,
  clientId: string,
  loginLabel: string,
): OdooOidcProvider {
  const endpoints: OidcEndpoints = oidcEndpoints(platformDomain, realmName(project));
  return {
    name: `Keycloak ${realmName(project)}`,
    flow: "id_token_code",
    client_id: clientId,
    enabled: true,
    body: loginLabel,
    scope: "openid email profile",
    auth_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    jwks_uri: endpoints.jwks,
    token_map: "sub:user_id email:email",
  };
}
