-- Neutralization of module account_peppol. Odoo: addons/account_peppol/data/neutralize.sql.

-- Peppol in test mode
-- requires: account_edi_proxy_client_user.proxy_type, ir_config_parameter
UPDATE ir_config_parameter
SET value = 'test'
WHERE key = 'account_peppol.edi.mode';
