-- Neutralization of module pos_viva_wallet. Odoo: addons/pos_viva_wallet/data/neutralize.sql.

-- Viva Wallet terminals in test mode
-- requires: pos_payment_provider.mode
UPDATE pos_payment_provider
   SET mode = 'test';
