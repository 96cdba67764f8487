-- Neutralization of module payment_authorize. Odoo: addons/payment_authorize/data/neutralize.sql.

-- Authorize.Net credentials forgotten
-- requires: payment_provider.authorize_login, payment_provider.authorize_client_key
UPDATE payment_provider
   SET authorize_login = NULL,
       authorize_client_key = NULL;
