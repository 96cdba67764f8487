-- Neutralization of module base. Odoo: odoo/addons/base/data/neutralize.sql (16.0–19.0).
-- Each statement runs only when the tables and columns on its "requires" line exist.

-- Outgoing mail servers off, their credentials wiped (odooops: Odoo leaves them; a copy has no use for them)
-- requires: ir_mail_server.active, ir_mail_server.smtp_user, ir_mail_server.smtp_pass
UPDATE ir_mail_server
   SET active = false,
       smtp_user = NULL,
       smtp_pass = NULL
 WHERE name <> {{catcher_name}};

-- The environment's Mailpit becomes the only outgoing mail server. Odoo inserts a dummy server (port
-- 1025 on host "invalid") because odoo.conf's SMTP settings are only a fallback used when no server row
-- is active; odooops points that row at the Mailpit that every non-production environment runs.
-- requires: ir_mail_server.smtp_authentication
INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_encryption, smtp_authentication, active, sequence)
SELECT {{catcher_name}}, {{catcher_host}}, {{catcher_port}}, 'none', 'login', true, 0
 WHERE NOT EXISTS (SELECT 1 FROM ir_mail_server WHERE name = {{catcher_name}});

-- Mail catcher for versions without smtp_authentication
-- requires: ir_mail_server.smtp_host
-- unless: ir_mail_server.smtp_authentication
INSERT INTO ir_mail_server (name, smtp_host, smtp_port, smtp_encryption, active, sequence)
SELECT {{catcher_name}}, {{catcher_host}}, {{catcher_port}}, 'none', true, 0
 WHERE NOT EXISTS (SELECT 1 FROM ir_mail_server WHERE name = {{catcher_name}});

-- The mail catcher follows this run's host and port and accepts every sender
-- requires: ir_mail_server.from_filter
UPDATE ir_mail_server
   SET smtp_host = {{catcher_host}}, smtp_port = {{catcher_port}}, smtp_encryption = 'none',
       from_filter = NULL, active = true
 WHERE name = {{catcher_name}};

-- Scheduled actions off, except those Odoo's neutralize keeps (and any the caller asked to keep)
-- requires: ir_cron.active, ir_model_data.res_id
UPDATE ir_cron
   SET active = false
 WHERE active
   AND id NOT IN (SELECT res_id
                    FROM ir_model_data
                   WHERE model = 'ir.cron'
                     AND module || '.' || name IN ({{kept_crons}}));

-- Neutralization flag: Odoo shows its banner and modules check it before calling out
-- requires: ir_config_parameter.key
INSERT INTO ir_config_parameter (key, value, create_date, write_date)
VALUES ('database.is_neutralized', 'true', now() at time zone 'utc', now() at time zone 'utc')
    ON CONFLICT (key) DO UPDATE SET value = 'true';

-- Webhook server actions call nothing (18.0+ in base, 17.0 in base_automation)
-- requires: ir_act_server.webhook_url
UPDATE ir_act_server
   SET webhook_url = 'neutralization - disable webhook'
 WHERE state = 'webhook';

-- web.base.url is the environment's own URL, frozen so the first admin login does not rewrite it
-- (odooops: Odoo keeps production's URL, so links in mails and portals point at production)
-- requires: ir_config_parameter.key
INSERT INTO ir_config_parameter (key, value, create_date, write_date)
VALUES ('web.base.url', {{base_url}}, now() at time zone 'utc', now() at time zone 'utc'),
       ('web.base.url.freeze', 'True', now() at time zone 'utc', now() at time zone 'utc')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;

-- A new database identity, as Odoo gives a duplicated database: production's UUID is how Odoo's
-- services (IAP, mobile push) recognise it, and its secret signs sessions and tokens
-- (odooops: odoo neutralize leaves both)
-- requires: ir_config_parameter.key
UPDATE ir_config_parameter
   SET value = gen_random_uuid()::text
 WHERE key IN ('database.uuid', 'database.secret');

-- API keys of production users are credentials to production's data (odooops)
-- requires: res_users_apikeys.id
DELETE FROM res_users_apikeys;
