-- Neutralization of module cloud_storage_google. Odoo: addons/cloud_storage_google/data/neutralize.sql.

-- Attachments no longer uploaded to (or read from) production's Google Cloud Storage bucket
-- requires: ir_config_parameter
DELETE
FROM ir_config_parameter
WHERE key = 'cloud_storage_google_bucket_name'
OR key = 'cloud_storage_google_account_info';
