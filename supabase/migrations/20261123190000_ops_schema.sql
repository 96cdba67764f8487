-- odooops control plane: schema `ops` holds release governance (builds, releases, gates, evidence,
-- approvals, exceptions), data safety records (backups, restore drills) and the audit trail.
-- Applies unchanged to a Supabase project: roles anon / authenticated / service_role and the auth
-- schema come from Supabase. Expose the schema to the API with `schemas = [..., "ops"]` (config.toml).
create schema if not exists ops;
comment on schema ops is 'odooops control plane: release governance and audit (writes only through functions)';

-- Nobody gets anything by default; grants are explicit (see the *_grants migration).
revoke all on schema ops from public;
grant usage on schema ops to authenticated, service_role;
