-- The "module audit" agent flow (issue 18 part 9): an automated reviewer lists an environment's installed
-- modules, checks them against the OCA/Enterprise rules and files its report. Its credential is an audit
-- key bound to one project: with Supabase's public anon key it may open an audit
-- (ops.begin_module_audit_with_key) and file a report (ops.file_module_audit_with_key), and nothing else —
-- no read of builds, gates, backups or members, no write anywhere but its own reports, no shell (shell
-- and logs go through ops.can, which only members reach). Only the service role creates or revokes one;
-- the database keeps its SHA-256. Every step is in the project's audit trail, attributed to the key.

create table ops.audit_keys (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  label text not null check (label ~ '^[[:print:]]{1,100}$'),
  key_hash text not null unique check (key_hash ~ '^[a-f0-9]{64}$'),
  created_at timestamptz not null default clock_timestamp(),
  revoked_at timestamptz
);
alter table ops.audit_keys enable row level security;
create policy "nobody reads audit keys; the ops functions do" on ops.audit_keys for select to authenticated using (false);
create policy "nobody inserts audit keys directly; the ops functions do" on ops.audit_keys for insert to authenticated with check (false);
create policy "nobody updates audit keys directly; the ops functions do" on ops.audit_keys for update to authenticated using (false) with check (false);
create policy "nobody deletes audit keys; the record is permanent" on ops.audit_keys for delete to authenticated using (false);

create table ops.module_audits (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  audit_key_id uuid not null references ops.audit_keys (id),
  environment text not null check (environment ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
  report jsonb,
  findings integer check (findings >= 0),
  started_at timestamptz not null default clock_timestamp(),
  filed_at timestamptz
);
alter table ops.module_audits enable row level security;
create policy "members read their project's module audits" on ops.module_audits for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts module audits directly; the audit key's functions do" on ops.module_audits for insert to authenticated with check (false);
create policy "nobody updates module audits directly; the audit key's functions do" on ops.module_audits for update to authenticated using (false) with check (false);
create policy "nobody deletes module audits; the record is permanent" on ops.module_audits for delete to authenticated using (false);

create function ops.create_audit_key(p_project text, p_label text) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_key text;
  v ops.audit_keys;
begin
  perform ops.require_service('create audit keys');
  if p_label is null or p_label !~ '^[[:print:]]{1,100}$' then
    raise exception using errcode = '22023', message = 'an audit key label is 1 to 100 printable characters';
  end if;
  v_key := 'odooops_mk_' || pg_catalog.rtrim(pg_catalog.translate(
    pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'), '=');
  insert into ops.audit_keys (project_id, label, key_hash)
  select p.id, p_label, ops.build_key_hash(v_key) from ops.projects p where p.name = p_project
  returning * into v;
  if v.id is null then
    raise exception using errcode = 'P0002', message = pg_catalog.format('no project %s', p_project);
  end if;
  perform ops.write_audit(v.project_id, 'audit_key.created', null, null, v.id::text,
    pg_catalog.jsonb_build_object('label', v.label));
  return pg_catalog.jsonb_build_object('id', v.id, 'label', v.label, 'key', v_key);
end $$;

create function ops.revoke_audit_key(p_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.audit_keys;
begin
  perform ops.require_service('revoke audit keys');
  update ops.audit_keys k set revoked_at = coalesce(k.revoked_at, pg_catalog.clock_timestamp())
   where k.id = p_id returning * into v;
  if v.id is null then
    raise exception using errcode = 'P0002', message = pg_catalog.format('no audit key %s', p_id);
  end if;
  perform ops.write_audit(v.project_id, 'audit_key.revoked', null, null, v.id::text,
    pg_catalog.jsonb_build_object('label', v.label));
  return pg_catalog.jsonb_build_object('id', v.id, 'label', v.label, 'revokedAt', v.revoked_at);
end $$;

-- The valid key's row, and the audit trail attributing what follows to it; one refusal for unknown and
-- revoked keys alike.
create function ops.audit_key_of(p_key text) returns ops.audit_keys
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.audit_keys;
begin
  if p_key is not null and pg_catalog.length(p_key) <= 200 then
    select * into v from ops.audit_keys k where k.key_hash = ops.build_key_hash(p_key) and k.revoked_at is null;
  end if;
  if v.id is null then
    raise exception using errcode = '42501', message = 'unknown or revoked audit key',
      hint = 'the platform admin creates one with ops.create_audit_key';
  end if;
  perform pg_catalog.set_config('odooops.key_actor', 'module-auditor:' || v.label, true);
  return v;
end $$;

create function ops.begin_module_audit_with_key(p_key text, p_environment text) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  k ops.audit_keys := ops.audit_key_of(p_key);
  v ops.module_audits;
begin
  if p_environment is null or p_environment !~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' then
    raise exception using errcode = '22023', message = 'the environment is its slug, e.g. production';
  end if;
  insert into ops.module_audits (project_id, audit_key_id, environment)
  values (k.project_id, k.id, p_environment) returning * into v;
  perform ops.write_audit(k.project_id, 'module_audit.started', null, null, v.id::text,
    pg_catalog.jsonb_build_object('environment', p_environment));
  return pg_catalog.jsonb_build_object('id', v.id,
    'project', (select p.name from ops.projects p where p.id = k.project_id), 'environment', p_environment);
end $$;

-- The report: {modules: [{name, state, version}], findings: [{module, rule, message}]}, at most 5000
-- modules and 5000 findings, filed once on an audit this key opened.
create function ops.file_module_audit_with_key(p_key text, p_audit uuid, p_report jsonb) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  k ops.audit_keys := ops.audit_key_of(p_key);
  v ops.module_audits;
begin
  if pg_catalog.jsonb_typeof(p_report) is distinct from 'object'
     or pg_catalog.jsonb_typeof(p_report -> 'modules') is distinct from 'array'
     or pg_catalog.jsonb_typeof(p_report -> 'findings') is distinct from 'array'
     or pg_catalog.jsonb_array_length(p_report -> 'modules') > 5000
     or pg_catalog.jsonb_array_length(p_report -> 'findings') > 5000
     or pg_catalog.octet_length(p_report::text) > 2000000 then
    raise exception using errcode = '22023',
      message = 'a module audit report is {modules: [...], findings: [...]}, at most 5000 of each';
  end if;
  update ops.module_audits a set report = p_report,
    findings = pg_catalog.jsonb_array_length(p_report -> 'findings'), filed_at = pg_catalog.clock_timestamp()
   where a.id = p_audit and a.audit_key_id = k.id and a.filed_at is null
  returning * into v;
  if v.id is null then
    raise exception using errcode = '42501', message = 'no open module audit of this key with that id';
  end if;
  perform ops.write_audit(k.project_id, 'module_audit.filed', null, null, v.id::text,
    pg_catalog.jsonb_build_object('environment', v.environment, 'findings', v.findings,
      'modules', pg_catalog.jsonb_array_length(p_report -> 'modules')));
  return pg_catalog.jsonb_build_object('id', v.id, 'environment', v.environment, 'findings', v.findings);
end $$;

revoke all on table ops.audit_keys, ops.module_audits from public, anon, authenticated, service_role;
grant select on table ops.audit_keys, ops.module_audits to authenticated, service_role;

-- Privileges, explicitly: PostgreSQL lets PUBLIC execute every new function, so each is revoked from
-- PUBLIC and granted to the API roles that call it.
revoke execute on function
  ops.create_audit_key(text, text), ops.revoke_audit_key(uuid), ops.audit_key_of(text),
  ops.begin_module_audit_with_key(text, text), ops.file_module_audit_with_key(text, uuid, jsonb)
from public;
grant execute on function
  ops.begin_module_audit_with_key(text, text), ops.file_module_audit_with_key(text, uuid, jsonb)
to anon, authenticated, service_role;
grant execute on function
  ops.create_audit_key(text, text), ops.revoke_audit_key(uuid)
to service_role;
