-- Neutralization of module google_calendar. Odoo: addons/google_calendar/data/neutralize.sql.

-- Users' Google Calendar tokens removed: the copy must not write to real calendars
-- requires: res_users_settings.google_calendar_rtoken, res_users_settings.google_calendar_token, res_users_settings.google_calendar_sync_token
UPDATE res_users_settings
   SET google_calendar_rtoken = NULL,
       google_calendar_token = NULL,
       google_calendar_sync_token = NULL;
