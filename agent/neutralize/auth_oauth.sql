-- Neutralization of module auth_oauth and OCA's auth_oidc (server-auth). odoo/odoo ships no neutralize.sql
-- for them: odooops's own. A copy must neither sign people in through production's identity provider nor
-- hold production's client secret; the platform gives each environment its own provider afterwards.

-- OAuth sign-in providers disabled: production's identity provider signs no one in to a copy
-- requires: auth_oauth_provider.enabled
UPDATE auth_oauth_provider
   SET enabled = false
 WHERE enabled;

-- OIDC client secrets removed (auth_oidc): production's client secret never sits in a copy
-- requires: auth_oauth_provider.client_secret
UPDATE auth_oauth_provider
   SET client_secret = NULL
 WHERE client_secret IS NOT NULL;

-- Users' OAuth access tokens removed: a token issued for production is never replayed from a copy
-- requires: res_users.oauth_access_token
UPDATE res_users
   SET oauth_access_token = NULL
 WHERE oauth_access_token IS NOT NULL;
