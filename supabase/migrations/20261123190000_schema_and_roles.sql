-- odooops control plane: schema `ops` holds release governance (builds, releases, gates, evidence,
-- approvals, exceptions), data safety records (backups, restore drills, restore requests), the keys that
-- automation records with, and the audit trail. One migration per concept, in dependency order:
--   schema_and_roles (this one)        the schema and what the API roles get by default: nothing
--   governance_rules                   GENERATED from model/ (decision rights, gates, stages)
--   projects_and_members               projects, members, environments; who is calling and what they may do
--   releases_and_gates                 builds, releases, gate signatures, evidence, approvals, deployments
--   exceptions                         gate exceptions and how they change a gate's outcome
--   operations_and_restore_requests    backups, restore drills, incidents, access and restore requests
--   audit                              the append-only audit trail and the triggers that write it
--   build_keys, catalog_keys, module_audit   the keys of CI, the data agent, drift/preview and the auditor
-- Each migration writes its tables' row-level security policies out literally, one per command, and its
-- functions' privileges explicitly. Applies unchanged to a Supabase project: roles anon / authenticated /
-- service_role and the auth schema come from Supabase. Expose the schema to the API with
-- `schemas = [..., "ops"]` (config.toml).

create schema if not exists ops;

comment on schema ops is 'odooops control plane: release governance and audit (writes only through functions)';

-- Nobody gets anything by default; grants are explicit, in the migration that creates each object.
-- anon reaches the schema for exactly the functions a key holder calls (ops.*_with_key): every function
-- is revoked from PUBLIC, and anon has no table privilege.
revoke all on schema ops from public;
grant usage on schema ops to authenticated, service_role;
grant usage on schema ops to anon;

-- No temporary objects for the API roles: a type, table or function planted in pg_temp is how a caller
-- gets code run by a security-definer function. Every ops function also names pg_temp last in its
-- search_path; this takes away the means as well. PUBLIC and, in case a platform granted it to them
-- directly, each API role.
do $$
begin
  execute format('revoke temporary on database %I from public, anon, authenticated, service_role',
    current_database());
end $$;

-- Supabase installs pgcrypto in schema `extensions`; a plain PostgreSQL with the test shim gets it here.
create extension if not exists pgcrypto with schema extensions;
