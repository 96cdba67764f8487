import { oneShotOdoo } from "../odoo-run.ts";
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
  /** Required by auth_oauth (`validation_endpoint`, required=True): Keycloak's userinfo endpoint. */
  validation_endpoint: string;
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
    validation_endpoint: endpoints.userinfo,
    token_endpoint: endpoints.token,
    jwks_uri: endpoints.jwks,
    token_map: "sub:user_id email:email",
  };
}

/** The remote command's variables: the record (JSON, no secret) and the client's secret. */
export const OIDC_PROVIDER_ENV = "ODOOOPS_OIDC_PROVIDER";
export const OIDC_CLIENT_SECRET_ENV = "ODOOOPS_OIDC_CLIENT_SECRET";

/**
 * Python for `odoo shell`: creates or updates the provider by name through the ORM (so translated and
 * required fields are handled as Odoo handles them), with the secret read from the environment. A
 * database without auth_oidc (the module did not install) fails the step naming the missing fields.
 */
export const SIGN_IN_SCRIPT = [
  "import json, os",
  `record = json.loads(os.environ['${OIDC_PROVIDER_ENV}'])`,
  `record['client_secret'] = os.environ['${OIDC_CLIENT_SECRET_ENV}']`,
  "Provider = env['auth.oauth.provider']",
  "missing = sorted(k for k in record if k not in Provider._fields)",
  "if missing:",
  "    raise SystemExit('auth.oauth.provider has no %s: is auth_oidc (OCA/server-auth) installed?' % ', '.join(missing))",
  "found = Provider.search([('name', '=', record['name'])], limit=1)",
  "found.write(record) if found else Provider.create(record)",
  "env.cr.commit()",
  "print('ODOOOPS_OIDC_PROVIDER_WRITTEN=' + record['name'])",
].join("\n");

export interface SignInStep {
  image: string;
  dataDir: string;
  database: string;
}

/**
 * Writes the environment's provider into its database with the environment's own image and odoo.conf
 * (model/plan/odoo-run.ts): after database init, after every staging clone (whose copy had production's
 * provider turned off and its secret removed by neutralize), and whenever the client or its secret changes.
 */
export function odooSignInCommand(step: SignInStep): string {
  return [
    "set -eu",
    oneShotOdoo({
      image: step.image,
      dataDir: step.dataDir,
      args: ["shell", "-d", step.database, "--no-http"],
      stdinScript: SIGN_IN_SCRIPT,
      passEnv: [OIDC_PROVIDER_ENV, OIDC_CLIENT_SECRET_ENV],
    }),
  ].join("\n");
}
