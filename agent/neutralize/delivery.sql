-- Neutralization of module delivery. Odoo: addons/delivery/data/neutralize.sql (16.0–19.0).

-- Carriers use their test environments: no real labels, pickups or charges
-- requires: delivery_carrier.prod_environment
UPDATE delivery_carrier
   SET prod_environment = false;
