-- Neutralization of module l10n_in_edi. Odoo: addons/l10n_in_edi/data/neutralize.sql.

-- Indian e-invoicing credentials forgotten
-- requires: l10n_in_edi_config.l10n_in_edi_username, l10n_in_edi_config.l10n_in_edi_token_validity
UPDATE l10n_in_edi_config
   SET l10n_in_edi_username = NULL,
       l10n_in_edi_token_validity = NULL;
