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
-- secret, token and password columns are NULLed in one UPDATE (Odoo does this file by file per
-- provider); the rows it changed are reported through odooops.rows, as a DO block has no row count
-- requires: payment_provider.id
DO $$
DECLARE
    assignments text;
    filled text;
    changed bigint := 0;
BEGIN
    SELECT string_agg(format('%I = NULL', column_name), ', '),
           string_agg(format('%I IS NOT NULL', column_name), ' OR ')
      INTO assignments, filled
      FROM information_schema.columns
     WHERE table_schema = current_schema()
       AND table_name = 'payment_provider'
       AND is_nullable = 'YES'
       AND data_type IN ('character varying', 'text')
       AND column_name ~ '(secret|_key|token|password|signature|_account|api_|merchant_id)';
    IF assignments IS NOT NULL THEN
        EXECUTE format('UPDATE payment_provider SET %s WHERE %s', assignments, filled);
        GET DIAGNOSTICS changed = ROW_COUNT;
    END IF;
    PERFORM set_config('odooops.rows', changed::text, true);
END
$$;
