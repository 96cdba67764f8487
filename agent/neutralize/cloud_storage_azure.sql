-- Neutralization of module cloud_storage_azure. Odoo: addons/cloud_storage_azure/data/neutralize.sql.

-- Attachments no longer uploaded to (or read from) production's Azure container
-- requires: ir_config_parameter
DELETE
FROM ir_config_parameter
WHERE key IN ('cloud_storage_azure_account_name',
              'cloud_storage_azure_container_name',
              'cloud_storage_azure_tenant_id',
              'cloud_storage_azure_client_id',
              'cloud_storage_azure_client_secret');
