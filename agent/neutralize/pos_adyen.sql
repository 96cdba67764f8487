-- Neutralization of module pos_adyen. Odoo: addons/pos_adyen/data/neutralize.sql.

-- Adyen payment terminals in test mode (column adyen_test_mode until it was renamed test_mode)
-- requires: pos_payment_method.adyen_test_mode
UPDATE pos_payment_method
   SET adyen_test_mode = true;

-- Adyen payment terminals in test mode
-- requires: pos_payment_method.test_mode
UPDATE pos_payment_method
   SET test_mode = true;
