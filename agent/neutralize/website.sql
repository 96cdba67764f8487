-- Neutralization of module website. Odoo: addons/website/data/neutralize.sql (16.0–19.0).

-- Websites no longer answer to production's domains
-- requires: website.domain
UPDATE website
   SET domain = NULL;

-- The "neutralized" ribbon is shown on the website
-- requires: ir_ui_view.key, ir_ui_view.active
UPDATE ir_ui_view
   SET active = true
 WHERE key = 'website.neutralize_ribbon';

-- The CDN, configured for production's site, is off
-- requires: website.cdn_activated
UPDATE website
   SET cdn_activated = false;

-- Search engines are asked not to crawl the copy (17.0+)
-- requires: website.robots_txt
UPDATE website
   SET robots_txt = E'User-agent: *\nDisallow: /';
