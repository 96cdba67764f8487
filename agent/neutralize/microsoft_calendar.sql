-- Neutralization of module microsoft_calendar. Odoo: addons/microsoft_calendar/data/neutralize.sql.

-- Users' Outlook Calendar sync state removed: the copy must not write to real calendars
-- requires: res_users_settings.microsoft_calendar_sync_token
UPDATE res_users_settings
   SET microsoft_calendar_sync_token = NULL;

-- Outlook Calendar tokens removed
-- requires: res_users_settings.microsoft_calendar_rtoken, res_users_settings.microsoft_calendar_token
UPDATE res_users_settings
   SET microsoft_calendar_rtoken = NULL,
       microsoft_calendar_token = NULL;
