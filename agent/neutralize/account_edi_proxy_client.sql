-- Neutralization of module account_edi_proxy_client. Odoo: addons/account_edi_proxy_client/data/neutralize.sql.

-- E-invoicing connections (Peppol, Italian SdI, …) switch to the proxy's demo or test mode: no invoice
-- reaches a tax authority or a customer. Malaysian and Greek connections are archived by their own
-- modules instead (a production user turned test would collide with an existing test user).
-- requires: account_edi_proxy_client_user.edi_mode, account_edi_proxy_client_user.proxy_type
UPDATE account_edi_proxy_client_user
SET edi_mode = CASE
                    WHEN proxy_type IN ('l10n_it_edi', 'peppol', 'nemhandel', 'pdp') THEN 'demo'
                    ELSE 'test'
               END
WHERE proxy_type NOT IN ('l10n_my_edi', 'l10n_gr_edi');
