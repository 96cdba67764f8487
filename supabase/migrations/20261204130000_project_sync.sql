-- Sync from Git: the deploy workflow (service role) or `odooops control-plane sync` registers every
-- project of projects/*.yaml with its branch rules and members, in one call and so in one transaction:
-- all projects or none. Members are keyed by their GitHub user id (logins can be renamed or reused);
-- members no longer listed are removed. One `project.synced` event per project names the commit and who
-- was added, removed or changed; the row triggers record each member change as well.

alter table ops.members add column github_id bigint check (github_id > 0);
create unique index members_project_github_id on ops.members (project_id, github_id);

-- The Supabase user of a GitHub account, once it has signed in (auth.identities exists on Supabase only);
-- before that a stable stand-in derived from the GitHub id, replaced when the member signs in.
create function ops.github_user_id(p_github_id bigint) returns uuid
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_user uuid;
begin
  if pg_catalog.to_regclass('auth.identities') is not null then
    execute 'select i.user_id from auth.identities i where i.provider = ''github'' and i.provider_id = $1 limit 1'
      into v_user using p_github_id::text;
  end if;
  return coalesce(v_user, pg_catalog.md5('github:' || p_github_id::text)::uuid);
end $$;

-- The member list as rows, once: every statement of the sync reads the same typed view of it.
create function ops.listed_members(p_members jsonb)
returns table (github_id bigint, login text, role text)
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select (e ->> 'githubId')::bigint, e ->> 'login', e ->> 'role'
    from pg_catalog.jsonb_array_elements(coalesce(p_members, '[]')) e
$$;

create function ops.sync_project_members(p_project uuid, p_members jsonb) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_added text[];
  v_removed text[];
  v_changed text[];
begin
  perform ops.require_service('change project members');
  if pg_catalog.jsonb_typeof(p_members) is distinct from 'array' or pg_catalog.jsonb_array_length(p_members) > 2000 then
    raise exception using errcode = '22023', message = 'members must be a list of at most 2000 entries';
  end if;
  -- Shape and bounds of every entry before anything is written.
  if exists (select 1 from ops.listed_members(p_members) l
      where l.github_id is null or l.github_id <= 0
        or coalesce(l.login, '') !~ '^[A-Za-z0-9][A-Za-z0-9-]{0,38}$'
        or not (coalesce(l.role, '') = any (ops.member_roles()))) then
    raise exception using errcode = '22023',
      message = 'every member needs a GitHub id, a GitHub login and a persona',
      hint = pg_catalog.format('personas: %s', pg_catalog.array_to_string(ops.member_roles(), ', '));
  end if;
  if (select pg_catalog.count(distinct l.github_id) <> pg_catalog.count(*) from ops.listed_members(p_members) l) then
    raise exception using errcode = '22023', message = 'a GitHub user is listed twice; one persona per project';
  end if;

  with gone as (
    delete from ops.members m where m.project_id = p_project
      and (m.github_id is null or m.github_id not in (select l.github_id from ops.listed_members(p_members) l))
    returning m.github_login
  )
  select pg_catalog.array_agg(g.github_login order by g.github_login) into v_removed from gone g;

  with changed as (
    update ops.members m set github_login = l.login, role = l.role
      from ops.listed_members(p_members) l
     where m.project_id = p_project and m.github_id = l.github_id
       and (m.github_login, m.role) is distinct from (l.login, l.role)
    returning m.github_login
  )
  select pg_catalog.array_agg(c.github_login order by c.github_login) into v_changed from changed c;

  with added as (
    insert into ops.members (project_id, user_id, github_id, github_login, role)
    select p_project, ops.github_user_id(l.github_id), l.github_id, l.login, l.role
      from ops.listed_members(p_members) l
     where not exists (select 1 from ops.members m where m.project_id = p_project and m.github_id = l.github_id)
    returning github_login
  )
  select pg_catalog.array_agg(a.github_login order by a.github_login) into v_added from added a;

  return pg_catalog.jsonb_build_object('added', coalesce(v_added, '{}'), 'removed', coalesce(v_removed, '{}'),
    'changed', coalesce(v_changed, '{}'));
end $$;

create function ops.sync_projects(p_projects jsonb, p_commit text) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_entry jsonb;
  v_name text;
  v_project uuid;
  v_rules jsonb;
  v_members jsonb;
  v_result jsonb := '[]';
begin
  perform ops.require_service('sync projects from Git');
  if p_commit is null or p_commit !~ '^[0-9a-f]{7,40}$' then
    raise exception using errcode = '22023', message = 'the commit must be a Git commit id (7 to 40 hex digits)';
  end if;
  if pg_catalog.jsonb_typeof(p_projects) is distinct from 'array' or pg_catalog.jsonb_array_length(p_projects) > 1000 then
    raise exception using errcode = '22023', message = 'projects must be a list of at most 1000 projects';
  end if;
  for v_entry in select e from pg_catalog.jsonb_array_elements(p_projects) e loop
    v_name := v_entry ->> 'name';
    v_rules := coalesce(v_entry -> 'branchRules', '[]');
    if pg_catalog.jsonb_typeof(v_entry -> 'requiredChecks') is distinct from 'array'
        or pg_catalog.jsonb_array_length(v_entry -> 'requiredChecks') > 50
        or exists (select 1 from pg_catalog.jsonb_array_elements(v_entry -> 'requiredChecks') c
                    where pg_catalog.jsonb_typeof(c) <> 'string' or pg_catalog.length(c #>> '{}') not between 1 and 200)
        or pg_catalog.jsonb_typeof(v_rules) <> 'array' or pg_catalog.length(v_rules::text) > 20000 then
      raise exception using errcode = '22023',
        message = pg_catalog.format('project %s: required checks (≤ 50 names) and branch rules (a list) are malformed',
          coalesce(pg_catalog.left(v_name, 40), '(no name)'));
    end if;
    -- register_project validates the branch rules (ops.branch_rules_valid) and stores them.
    perform ops.register_project(v_name, v_entry ->> 'repo',
      array(select c #>> '{}' from pg_catalog.jsonb_array_elements(v_entry -> 'requiredChecks') c), v_rules);
    v_project := ops.project_id(v_name);
    v_members := ops.sync_project_members(v_project, coalesce(v_entry -> 'members', '[]'));
    perform ops.write_audit(v_project, 'project.synced', null, null, v_name,
      v_members || pg_catalog.jsonb_build_object('commit', p_commit));
    v_result := v_result || pg_catalog.jsonb_build_array(v_members || pg_catalog.jsonb_build_object('project', v_name));
  end loop;
  return v_result;
end $$;

revoke execute on function ops.listed_members(jsonb), ops.github_user_id(bigint), ops.sync_project_members(uuid, jsonb),
  ops.sync_projects(jsonb, text) from public;
grant execute on function ops.sync_projects(jsonb, text) to service_role;
