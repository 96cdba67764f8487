-- Neutralization of module delivery. Odoo: addons/delivery/data/neutralize.sql (16.0–19.0).

-- Carriers use their test environments: no real labels, pickups or charges
-- requires: delivery_carrier.prod_environment
UPDATE delivery_carrier
   SET prod_environment = false;

-- Carriers of external providers (FedEx, UPS, DHL, …) deactivated; fixed-price and rule-based ones stay
-- requires: delivery_carrier.active, delivery_carrier.delivery_type
UPDATE delivery_carrier
   SET active = false
   WHERE delivery_type NOT IN ('fixed', 'base_on_rule');
