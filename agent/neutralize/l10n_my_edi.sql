-- Neutralization of module l10n_my_edi. Odoo: addons/l10n_my_edi/data/neutralize.sql.

-- Malaysian MyInvois connections archived
-- requires: account_edi_proxy_client_user.active, account_edi_proxy_client_user.proxy_type
UPDATE account_edi_proxy_client_user
   SET active = FALSE
 WHERE proxy_type = 'l10n_my_edi';

-- MyInvois back to pre-production mode
-- requires: l10n_my_edi_config.l10n_my_edi_mode
UPDATE l10n_my_edi_config
   SET l10n_my_edi_mode = 'test';
