-- Neutralization of module snailmail. Odoo: addons/snailmail/data/neutralize.sql (16.0–19.0).

-- Letters go to Odoo's IAP test service: nothing is printed or posted
-- requires: snailmail_letter, ir_config_parameter
INSERT INTO ir_config_parameter (key, value)
VALUES ('snailmail.endpoint', 'https://iap-services-test.odoo.com')
    ON CONFLICT (key) DO
       UPDATE SET value = 'https://iap-services-test.odoo.com';
