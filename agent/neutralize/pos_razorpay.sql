-- Neutralization of module pos_razorpay. Odoo: addons/pos_razorpay/data/neutralize.sql.

-- Razorpay terminals in test mode with a dummy key
-- requires: pos_payment_provider.razorpay_api_key, pos_payment_provider.mode
UPDATE pos_payment_provider
SET mode = 'test',
    razorpay_api_key = 'dummykey00012345';
