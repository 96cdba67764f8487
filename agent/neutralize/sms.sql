-- Neutralization of module sms. Odoo: addons/sms/data/neutralize.sql (16.0–19.0).

-- SMS go to Odoo's IAP test service, never to real phones
-- requires: sms_sms, ir_config_parameter
INSERT INTO ir_config_parameter (key, value)
VALUES ('sms.endpoint', 'https://iap-services-test.odoo.com')
    ON CONFLICT (key) DO
       UPDATE SET value = 'https://iap-services-test.odoo.com';
