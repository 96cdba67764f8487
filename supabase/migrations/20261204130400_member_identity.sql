-- Member sign-in (`odooops login`, Supabase Auth's GitHub provider). Members are keyed by GitHub user id
-- (ops.sync_projects); a member synced before their first sign-in has a stand-in user id. Signing in links
-- them: ops.claim_memberships() reads the caller's GitHub identity from auth.identities — written by
-- Supabase Auth, never by the user (user_metadata is user-editable, so it is not trusted) — and moves
-- the memberships of that GitHub id to the caller. ops.whoami() lists the caller's personas per project.
create function ops.claim_memberships() returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_uid uuid := auth.uid();
  v_github text;
  v_claimed text[];
begin
  if v_uid is null or ops.is_service() then
    raise exception using errcode = '42501', message = 'only a signed-in member claims memberships';
  end if;
  if pg_catalog.to_regclass('auth.identities') is not null then
    execute 'select i.provider_id from auth.identities i where i.user_id = $1 and i.provider = ''github'' limit 1'
      into v_github using v_uid;
  end if;
  if v_github is null or v_github !~ '^[0-9]{1,19}$' then
    return pg_catalog.jsonb_build_object('githubId', null, 'claimed', '[]'::jsonb);
  end if;
  with moved as (
    update ops.members m set user_id = v_uid
     where m.github_id = v_github::bigint and m.user_id <> v_uid
    returning (select p.name from ops.projects p where p.id = m.project_id) as project
  )
  select pg_catalog.array_agg(moved.project order by moved.project) into v_claimed from moved;
  return pg_catalog.jsonb_build_object('githubId', v_github::bigint, 'claimed', coalesce(v_claimed, '{}'));
end $$;

create function ops.whoami() returns jsonb
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select pg_catalog.jsonb_build_object(
    'userId', auth.uid(),
    'memberships', coalesce((select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'project', p.name, 'login', m.github_login, 'role', m.role) order by p.name)
      from ops.members m join ops.projects p on p.id = m.project_id
     where m.user_id = auth.uid()), '[]'::jsonb))
$$;

revoke execute on function ops.claim_memberships(), ops.whoami() from public;
grant execute on function ops.claim_memberships(), ops.whoami() to authenticated;
