-- Neutralization of module iap. Odoo: addons/iap/data/neutralize.sql (16.0–19.0).

-- IAP accounts (SMS, OCR/digitization, enrichment, snailmail) can no longer spend production's credits
-- requires: iap_account.account_token
UPDATE iap_account
   SET account_token = REGEXP_REPLACE(account_token, '(\+.*)?$', '+disabled');
