-- Neutralization of module pos_mercado_pago. Odoo: addons/pos_mercado_pago/data/neutralize.sql.

-- Mercado Pago credentials replaced by dummies
-- requires: pos_payment_provider.mp_bearer_token, pos_payment_provider.mp_webhook_secret_key
UPDATE pos_payment_provider
   SET mp_bearer_token = 'dummy_value',
       mp_webhook_secret_key = 'dummy_value'
   WHERE mp_bearer_token IS NOT NULL;
