-- Neutralization of module mail. Odoo: addons/mail/data/neutralize.sql (16.0–19.0; fetchmail was merged
-- into mail in 16.0).

-- Templates no longer pin a production mail server
-- requires: mail_template.mail_server_id
UPDATE mail_template
   SET mail_server_id = NULL;

-- Incoming mail servers off, their credentials wiped
-- requires: fetchmail_server.active, fetchmail_server.password
UPDATE fetchmail_server
   SET active = false,
       password = NULL;

-- Web push keys removed: they would let the copy notify production users' browsers
-- requires: ir_config_parameter.key
DELETE FROM ir_config_parameter
 WHERE key IN ('mail.web_push_vapid_private_key', 'mail.web_push_vapid_public_key', 'mail.sfu_server_key');

-- Pending web push notifications dropped
-- requires: mail_notification_web_push.id
DELETE FROM mail_notification_web_push;

-- Registered browsers of production users dropped
-- requires: mail_partner_device.id
DELETE FROM mail_partner_device;

-- Gmail OAuth tokens of mail servers removed (google_gmail)
-- requires: ir_mail_server.google_gmail_refresh_token, ir_mail_server.google_gmail_access_token
UPDATE ir_mail_server
   SET google_gmail_refresh_token = NULL, google_gmail_access_token = NULL;

-- Outlook OAuth tokens of mail servers removed (microsoft_outlook)
-- requires: ir_mail_server.microsoft_outlook_refresh_token, ir_mail_server.microsoft_outlook_access_token
UPDATE ir_mail_server
   SET microsoft_outlook_refresh_token = NULL, microsoft_outlook_access_token = NULL;

-- Gmail OAuth tokens of incoming servers removed
-- requires: fetchmail_server.google_gmail_refresh_token, fetchmail_server.google_gmail_access_token
UPDATE fetchmail_server
   SET google_gmail_refresh_token = NULL, google_gmail_access_token = NULL;

-- Outlook OAuth tokens of incoming servers removed
-- requires: fetchmail_server.microsoft_outlook_refresh_token, fetchmail_server.microsoft_outlook_access_token
UPDATE fetchmail_server
   SET microsoft_outlook_refresh_token = NULL, microsoft_outlook_access_token = NULL;
