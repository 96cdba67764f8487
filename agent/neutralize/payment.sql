-- Neutralization of module payment. Odoo: addons/payment/data/neutralize.sql and each provider's
-- payment_<code>/data/neutralize.sql, which blank that provider's credentials.

-- Live payment providers disabled; those in test mode stay usable for QA (16.0–18.0)
-- requires: payment_provider.state
UPDATE payment_provider
   SET state = 'disabled'
 WHERE state NOT IN ('test', 'disabled');

-- Live payment providers leave live mode (19.0)
-- requires: payment_provider.is_live
UPDATE payment_provider
   SET is_live = false;

-- Every provider's credentials blanked: whichever payment_<code> modules are installed, their key,
-- secret, token and password columns are NULLed (Odoo does this file by file per provider)
-- requires: payment_provider.id
DO $$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT column_name
          FROM information_schema.columns
         WHERE table_schema = current_schema()
           AND table_name = 'payment_provider'
           AND is_nullable = 'YES'
           AND data_type IN ('character varying', 'text')
           AND column_name ~ '(secret|_key|token|password|signature|_account|api_|merchant_id)'
    LOOP
        EXECUTE format('UPDATE payment_provider SET %I = NULL', col.column_name);
    END LOOP;
END
$$;
