-- TEST ONLY. Reproduces what a Supabase database provides and the migrations rely on, on a plain
-- PostgreSQL: the API roles (anon, authenticated, service_role with BYPASSRLS, authenticator that
-- PostgREST logs in as) and auth.uid() / auth.role() / auth.jwt() reading the claims PostgREST sets in
-- `request.jwt.claims`. Never part of supabase/migrations: a real project already has all of this.
-- Roles are cluster-wide and test files create databases in parallel, hence the tolerant DO blocks.

do $$
declare
  spec text[];
begin
  foreach spec slice 1 in array array[
    array['anon', 'nologin noinherit'],
    array['authenticated', 'nologin noinherit'],
    array['service_role', 'nologin noinherit bypassrls'],
    array['authenticator', 'login noinherit']
  ] loop
    begin
      execute format('create role %I %s', spec[1], spec[2]);
    exception when duplicate_object or unique_violation then null;
    end;
  end loop;
end $$;

do $$
begin
  grant anon, authenticated, service_role to authenticator;
exception when others then null; -- granted concurrently by another test database
end $$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- Same definitions as Supabase's auth schema (supabase/postgres migrations), reading either the
-- per-claim settings of older PostgREST versions or the JSON claims of current ones.
create or replace function auth.uid() returns uuid
language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.jwt() returns jsonb
language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

grant execute on function auth.uid(), auth.role(), auth.jwt() to anon, authenticated, service_role;

-- Supabase installs extensions (pgTAP among them) into schema `extensions`, usable by the API roles.
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
