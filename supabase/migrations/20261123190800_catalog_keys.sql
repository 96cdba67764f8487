-- Catalog keys: the credential of the drift check and of `pulumi preview` (GitHub environments `drift`
-- and `preview`). With Supabase's public anon key plus a catalog key they may call
-- ops.catalog_with_key — the build catalog (live branches, latest builds, release gates) — and nothing
-- else: no write, no other read. Only the service role (the platform admin's automation) creates or
-- revokes one; the database keeps its SHA-256, never the key. Each project's audit trail records that a
-- new reader of its catalog exists, and when it is revoked.

create table ops.catalog_keys (
  id uuid primary key default gen_random_uuid(),
  label text not null check (label ~ '^[[:print:]]{1,100}$'),
  key_hash text not null unique check (key_hash ~ '^[a-f0-9]{64}$'),
  created_at timestamptz not null default clock_timestamp(),
  revoked_at timestamptz
);
alter table ops.catalog_keys enable row level security;
create policy "nobody reads catalog keys; the ops functions do" on ops.catalog_keys for select to authenticated using (false);
create policy "nobody inserts catalog keys directly; the ops functions do" on ops.catalog_keys for insert to authenticated with check (false);
create policy "nobody updates catalog keys directly; the ops functions do" on ops.catalog_keys for update to authenticated using (false) with check (false);
create policy "nobody deletes catalog keys; the record is permanent" on ops.catalog_keys for delete to authenticated using (false);

create function ops.audit_catalog_key(p_action text, p_key ops.catalog_keys) returns void
language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
  select ops.write_audit(p.id, p_action, null, null, p_key.id::text,
    pg_catalog.jsonb_build_object('label', p_key.label))
  from ops.projects p
$$;

create function ops.create_catalog_key(p_label text) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_key text;
  v ops.catalog_keys;
begin
  perform ops.require_service('create catalog keys');
  if p_label is null or p_label !~ '^[[:print:]]{1,100}$' then
    raise exception using errcode = '22023', message = 'a catalog key label is 1 to 100 printable characters';
  end if;
  v_key := 'odooops_ck_' || pg_catalog.rtrim(pg_catalog.translate(
    pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'), '=');
  insert into ops.catalog_keys (label, key_hash)
  values (p_label, ops.build_key_hash(v_key))
  returning * into v;
  perform ops.audit_catalog_key('catalog_key.created', v);
  return pg_catalog.jsonb_build_object('id', v.id, 'label', v.label, 'key', v_key);
end $$;

create function ops.revoke_catalog_key(p_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.catalog_keys;
begin
  perform ops.require_service('revoke catalog keys');
  update ops.catalog_keys k set revoked_at = coalesce(k.revoked_at, pg_catalog.clock_timestamp())
   where k.id = p_id returning * into v;
  if v.id is null then
    raise exception using errcode = 'P0002', message = pg_catalog.format('no catalog key %s', p_id);
  end if;
  perform ops.audit_catalog_key('catalog_key.revoked', v);
  return pg_catalog.jsonb_build_object('id', v.id, 'label', v.label, 'revokedAt', v.revoked_at);
end $$;

-- The catalog as the owner reads it (all projects), for a valid key only; an unknown and a revoked key
-- get the same refusal.
create function ops.catalog_with_key(p_key text, p_projects text[] default null) returns jsonb
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_key is null or pg_catalog.length(p_key) > 200 or not exists (select 1 from ops.catalog_keys k
      where k.key_hash = ops.build_key_hash(p_key) and k.revoked_at is null) then
    raise exception using errcode = '42501', message = 'unknown or revoked catalog key',
      hint = 'the platform admin creates one with: odooops catalog-key create --label …';
  end if;
  if p_projects is not null and pg_catalog.cardinality(p_projects) > 1000 then
    raise exception using errcode = '22023', message = 'at most 1000 projects per catalog read';
  end if;
  return ops.catalog(p_projects);
end $$;

revoke all on table ops.catalog_keys from public, anon, authenticated, service_role;
grant select on table ops.catalog_keys to authenticated, service_role;

-- Privileges, explicitly: PostgreSQL lets PUBLIC execute every new function, so each is revoked from
-- PUBLIC and granted to the API roles that call it.
revoke execute on function
  ops.audit_catalog_key(text, ops.catalog_keys), ops.create_catalog_key(text), ops.revoke_catalog_key(uuid),
  ops.catalog_with_key(text, text[])
from public;
grant execute on function
  ops.catalog_with_key(text, text[])
to anon, authenticated, service_role;
grant execute on function
  ops.create_catalog_key(text), ops.revoke_catalog_key(uuid)
to service_role;
