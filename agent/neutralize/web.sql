-- Neutralization of module web. Odoo: addons/web/data/neutralize.sql (16.0–19.0).

-- The "neutralized database" banner is shown
-- requires: ir_ui_view.key, ir_ui_view.active
UPDATE ir_ui_view
   SET active = true
 WHERE key = 'web.neutralize_banner';
