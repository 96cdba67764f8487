-- Who is calling, as Supabase presents it: a signed-in member (auth.uid(), one persona per project) or
-- the service role (CI and the host agent, trusted to record facts they produce). Every write function
-- starts with ops.require_right, which reads the generated decision-rights table (ops.allowed_roles).
--
-- SQLSTATEs raised by the control plane (controlplane/errors.ts turns them into readable messages):
--   42501 not allowed (decision rights, membership)   P0002 not found      22023 invalid input
--   23505 already exists   OD001 gate out of order     OD002 evidence missing
--   OD003 separation of duties (signer/approver/author) OD004 already decided
--   OD005 exception not active   OD006 not deployed (G4)   OD007 release not ready   OD010 audit append-only

-- Projects come from projects/*.yaml, members from their `personas`, environments from live branches.
-- Rows are written only by the security-definer functions below; nothing is ever deleted (the audit
-- trail references every project). Times default to clock_timestamp(), not the transaction's start.

create table ops.projects (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z][a-z0-9-]{0,28}[a-z0-9]$'),
  repo text not null check (repo ~ '^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$'),
  -- G1: the status checks that must succeed (governance.requiredChecks in projects/<name>.yaml).
  required_checks text[] not null default '{}',
  -- Branch rules of projects/<name>.yaml, in order ([{match, stage}], first match wins): the only source
  -- of a branch's stage. A build never chooses or changes it (ops.store_build).
  branch_rules jsonb not null default '[]' check (jsonb_typeof(branch_rules) = 'array'),
  created_at timestamptz not null default clock_timestamp()
);

-- One persona per person per project (projects/<name>.yaml `personas`); user_id is the Supabase user.
create table ops.members (
  project_id uuid not null references ops.projects (id),
  user_id uuid not null,
  github_login text not null check (github_login ~ '^[A-Za-z0-9][A-Za-z0-9-]{0,38}$'),
  role text not null check (role = any (ops.member_roles())),
  added_at timestamptz not null default clock_timestamp(),
  -- The member's GitHub user id (ops.sync_projects keys members by it: logins can be renamed or reused).
  github_id bigint check (github_id > 0),
  primary key (project_id, user_id),
  unique (project_id, github_login)
);
create index members_user_idx on ops.members (user_id);
create unique index members_project_github_id on ops.members (project_id, github_id);

-- One environment per live branch; its stage comes from the project's branch rules.
create table ops.environments (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  branch text not null check (length(branch) between 1 and 255),
  stage text not null check (stage = any (ops.stages())),
  status text not null default 'live' check (status in ('live', 'closed')),
  opened_at timestamptz not null default clock_timestamp(),
  closed_at timestamptz,
  unique (project_id, branch)
);

create type ops.actor as (user_id uuid, login text, role text);

-- The database role, not a claim: PostgREST sets `role service_role` only for a JWT signed with the
-- service-role key, and a member (role authenticated) cannot `set role` to it, whatever claims they send.
-- current_setting('role') is what `set [local] role` chose; a security-definer function changes
-- current_user to its owner but not this setting, so it still names the caller's role in there.
create function ops.is_service() returns boolean
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(current_setting('role', true) = 'service_role', false)
$$;

-- authorizeAutomation (model/governance/release-rules.ts): null when the service role may take the action in the
-- stage, else why not. Automation actions only, and only in a stage where someone may take them.
create function ops.automation_refusal(p_action text, p_stage text) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select case
    when not (p_action = any (ops.automation_actions())) then
      format('the service role may not %s in %s: that decision needs a person', p_action, p_stage)
    when cardinality(ops.allowed_roles(p_action, p_stage)) = 0 then
      format('the service role may not %s in %s: nobody may %s in %s', p_action, p_stage, p_action, p_stage)
  end
$$;

-- Security definer so that RLS policies can call it without members reading ops.members themselves.
create function ops.member_role(p_project uuid) returns text
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select m.role from ops.members m where m.project_id = p_project and m.user_id = (select auth.uid())
$$;

-- The caller in a project: member (uuid, login, persona), service role, or (uuid, null, null) for a
-- signed-in stranger.
create function ops.current_actor(p_project uuid) returns ops.actor
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select case
    when ops.is_service() then row(null, 'service_role', 'service_role')::ops.actor
    else coalesce(
      (select row(m.user_id, m.github_login, m.role)::ops.actor from ops.members m
        where m.project_id = p_project and m.user_id = (select auth.uid())),
      row((select auth.uid()), null, null)::ops.actor)
  end
$$;

-- Same words as authorize() in model/governance/decision-rights.ts, so the CLI and the database explain alike.
create function ops.refusal_reason(p_role text, p_action text, p_stage text) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select format('%s may not %s in %s: %s %s in %s', p_role, p_action, p_stage,
    case when cardinality(rights.roles) > 0 then 'only ' || array_to_string(rights.roles, ', ') || ' may'
         else 'nobody may' end,
    p_action, p_stage)
  from (select ops.allowed_roles(p_action, p_stage) as roles) rights
$$;

-- The project a call is about, and the first check of every function that names one: the service role
-- learns whether it exists; anyone else who is not its member gets one and the same refusal whether or
-- not it exists, before anything is read or written on their behalf.
create function ops.project_id(p_project text) returns uuid
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_id uuid;
begin
  if p_project is null or p_project !~ '^[a-z][a-z0-9-]{0,28}[a-z0-9]$' then
    raise exception using errcode = '22023', message = 'a project name is 2 to 30 lowercase letters, digits and dashes',
      hint = 'the name of projects/<name>.yaml';
  end if;
  select p.id into v_id from ops.projects p where p.name = p_project;
  if ops.is_service() then
    if v_id is null then
      raise exception using errcode = 'P0002',
        message = format('no project named %s in the control plane', p_project),
        hint = 'CI registers projects from projects/<name>.yaml; check the name';
    end if;
    return v_id;
  end if;
  if v_id is null or not exists (select 1 from ops.members m
      where m.project_id = v_id and m.user_id = (select auth.uid())) then
    raise exception using errcode = '42501', message = format('you are not a member of project %s', p_project),
      hint = 'a platform admin adds you under personas in projects/<name>.yaml';
  end if;
  return v_id;
end $$;

-- Free text from callers is bounded: reasons, comments, rationales, names end up in the audit trail.
create function ops.require_text(p_value text, p_field text, p_max integer, p_required boolean default true)
returns text
language plpgsql immutable set search_path = pg_catalog, pg_temp as $$
begin
  if p_value is null and not p_required then
    return null;
  end if;
  if p_value is null or p_value !~ '[^[:space:]]' or length(p_value) > p_max then
    raise exception using errcode = '22023', message = format('%s is %s1 to %s characters', p_field,
      case when p_required then '' else 'optional; when given, ' end, p_max);
  end if;
  return p_value;
end $$;

-- The same for JSON documents callers send (check results, backup details, drill criteria).
create function ops.require_small_json(p_value jsonb, p_field text, p_max_bytes integer) returns jsonb
language plpgsql immutable set search_path = pg_catalog, pg_temp as $$
begin
  if p_value is not null and length(p_value::text) > p_max_bytes then
    raise exception using errcode = '22023', message = format('%s is at most %s bytes of JSON', p_field, p_max_bytes);
  end if;
  return p_value;
end $$;

create function ops.require_right(p_project uuid, p_action text, p_stage text) returns ops.actor
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_actor ops.actor := ops.current_actor(p_project);
  v_allowed text[] := ops.allowed_roles(p_action, p_stage);
begin
  if not (p_action = any (ops.actions())) or not (p_stage = any (ops.stages())) then
    raise exception using errcode = '22023', message = format('unknown action %s or stage %s', p_action, p_stage);
  end if;
  if v_actor.role = 'service_role' then
    if ops.automation_refusal(p_action, p_stage) is null then
      return v_actor;
    end if;
    raise exception using errcode = '42501',
      message = ops.automation_refusal(p_action, p_stage),
      hint = format('run it as a member who may: %s',
        coalesce(nullif(array_to_string(v_allowed, ', '), ''), 'nobody'));
  end if;
  if v_actor.role is null then
    raise exception using errcode = '42501',
      message = format('you are not a member of project %s',
        (select p.name from ops.projects p where p.id = p_project)),
      hint = 'a platform admin adds you under personas in projects/<name>.yaml';
  end if;
  if not ops.role_may(v_actor.role, p_action, p_stage) then
    raise exception using errcode = '42501',
      message = ops.refusal_reason(v_actor.role, p_action, p_stage),
      hint = 'decision rights are the table in model/governance/decision-rights.ts';
  end if;
  return v_actor;
end $$;

create function ops.require_service(p_what text) returns ops.actor
language plpgsql stable set search_path = pg_catalog, pg_temp as $$
begin
  if not ops.is_service() then
    raise exception using errcode = '42501',
      message = format('only the platform''s automation (the service role) may %s', p_what),
      hint = 'CI does this from projects/<name>.yaml and the app repository''s builds; change those instead';
  end if;
  return row(null, 'service_role', 'service_role')::ops.actor;
end $$;

-- Environment stage without RLS, for policies and functions that only need the stage.
create function ops.environment_stage(p_environment uuid) returns text
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select e.stage from ops.environments e where e.id = p_environment
$$;

-- Read scoping by persona: the auditor reads everything of its projects; others read rows of a stage
-- where they hold one of the given rights. A null stage means "any stage".
create function ops.may_read_stage(p_project uuid, p_stage text, p_actions text[]) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select exists (
    select 1 from ops.members m
    where m.project_id = p_project and m.user_id = (select auth.uid())
      and (m.role = 'auditor' or exists (
        select 1 from unnest(p_actions) a(action), unnest(ops.stages()) s(stage)
        where (p_stage is null or s.stage = p_stage) and ops.role_may(m.role, a.action, s.stage)))
  )
$$;

-- Non-members are refused before anything else is looked up: not even whether a branch exists leaks.
create function ops.require_member(p_project text) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if (ops.current_actor(ops.project_id(p_project))).role is null then
    raise exception using errcode = '42501', message = pg_catalog.format('you are not a member of project %s', p_project),
      hint = 'a platform admin adds you under personas in projects/<name>.yaml';
  end if;
end $$;

-- What authorize() in model/governance/decision-rights.ts answers for the caller, in a project and stage.
create function ops.can(p_project text, p_action text, p_stage text) returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select jsonb_build_object('role', a.role, 'allowed', case
      when a.role = 'service_role' then ops.automation_refusal(p_action, p_stage) is null
      else coalesce(ops.role_may(a.role, p_action, p_stage), false) end,
    'reason', case
      when a.role = 'service_role' then coalesce(ops.automation_refusal(p_action, p_stage),
        format('the service role may %s in %s', p_action, p_stage))
      when a.role is null then format('not a member of project %s', p_project)
      when ops.role_may(a.role, p_action, p_stage) then format('%s may %s in %s', a.role, p_action, p_stage)
      else ops.refusal_reason(a.role, p_action, p_stage) end)
  from ops.current_actor(ops.project_id(p_project)) a
$$;

create function ops.register_project(
  p_name text, p_repo text, p_required_checks text[] default '{}', p_branches jsonb default null
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.projects;
begin
  perform ops.require_service('register projects');
  if p_branches is not null and not ops.branch_rules_valid(p_branches) then
    raise exception using errcode = '22023',
      message = 'branch rules are a list of {match, stage}: a pattern of 1 to 255 characters and a stage',
      hint = format('stages: %s; the rules come from branches in projects/<name>.yaml',
        array_to_string(ops.stages(), ', '));
  end if;
  -- Without p_branches a re-registration keeps the rules on record.
  insert into ops.projects as p (name, repo, required_checks, branch_rules)
  values (p_name, p_repo, coalesce(p_required_checks, '{}'), coalesce(p_branches, '[]'))
  on conflict (name) do update set repo = excluded.repo, required_checks = excluded.required_checks,
      branch_rules = coalesce(p_branches, p.branch_rules)
    where (p.repo, p.required_checks, p.branch_rules)
      is distinct from (excluded.repo, excluded.required_checks, coalesce(p_branches, p.branch_rules))
  returning * into v;
  if v.id is null then
    select * into v from ops.projects p where p.name = p_name;
  end if;
  return jsonb_build_object('id', v.id, 'name', v.name, 'repo', v.repo, 'requiredChecks', to_jsonb(v.required_checks),
    'branches', v.branch_rules);
end $$;

-- matchesPattern (model/glob.ts, GitHub's fnmatch semantics) as an anchored regular expression: `**` any
-- run, `*` any run without `/`, `?` one character but `/`, everything else literal.
create function ops.branch_pattern_regex(p_pattern text) returns text
language sql immutable parallel safe set search_path = pg_catalog, pg_temp as $$
  select '^' || replace(replace(replace(replace(
    regexp_replace(p_pattern, '([+.^$(){}|\[\]\\])', '\\\1', 'g'),
    '**', chr(1)), '*', '[^/]*'), '?', '[^/]'), chr(1), '.*') || '$'
$$;

create function ops.branch_rules_valid(p_rules jsonb) returns boolean
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select jsonb_typeof(p_rules) = 'array' and jsonb_array_length(p_rules) between 1 and 100
    and not exists (select 1 from jsonb_array_elements(p_rules) r(rule)
      where jsonb_typeof(r.rule) <> 'object' or jsonb_typeof(r.rule -> 'match') is distinct from 'string'
        or length(r.rule ->> 'match') not between 1 and 255 or not ((r.rule ->> 'stage') = any (ops.stages())))
$$;

-- matchRule (model/input/branches.ts): the stage of the first rule matching the branch; null when none does.
create function ops.branch_stage(p_rules jsonb, p_branch text) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select r.rule ->> 'stage' from jsonb_array_elements(p_rules) with ordinality as r(rule, ord)
  where p_branch ~ ops.branch_pattern_regex(r.rule ->> 'match')
  order by r.ord limit 1
$$;

create function ops.set_member(p_project text, p_user_id uuid, p_github_login text, p_role text)
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_project uuid;
begin
  perform ops.require_service('change project members');
  v_project := ops.project_id(p_project);
  if not (p_role = any (ops.member_roles())) then
    raise exception using errcode = '22023', message = format('unknown persona %s', coalesce(p_role, '(none)')),
      hint = format('one of %s', array_to_string(ops.member_roles(), ', '));
  end if;
  insert into ops.members as m (project_id, user_id, github_login, role)
  values (v_project, p_user_id, p_github_login, p_role)
  on conflict (project_id, user_id) do update set github_login = excluded.github_login, role = excluded.role
    where (m.github_login, m.role) is distinct from (excluded.github_login, excluded.role);
  return jsonb_build_object('project', p_project, 'userId', p_user_id, 'githubLogin', p_github_login, 'role', p_role);
end $$;

create function ops.remove_member(p_project text, p_user_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_project uuid;
begin
  perform ops.require_service('change project members');
  v_project := ops.project_id(p_project);
  delete from ops.members m where m.project_id = v_project and m.user_id = p_user_id;
  return jsonb_build_object('project', p_project, 'userId', p_user_id, 'removed', found);
end $$;

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

create function ops.live_environment(p_project text, p_branch text) returns ops.environments
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.environments;
begin
  select * into v from ops.environments e where e.project_id = ops.project_id(p_project) and e.branch = p_branch;
  if not found then
    raise exception using errcode = 'P0002', message = format('no environment for branch %s in %s', p_branch, p_project),
      hint = 'environments open when CI records the first build of a branch';
  end if;
  return v;
end $$;

create function ops.close_environment(p_project text, p_branch text) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments;
begin
  select * into v_env from ops.environments e
  where e.project_id = ops.project_id(p_project) and e.branch = p_branch for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no environment for branch %s in %s', p_branch, p_project);
  end if;
  perform ops.require_right(v_env.project_id, 'environment.destroy', v_env.stage);
  if v_env.status = 'live' then
    update ops.environments e set status = 'closed', closed_at = clock_timestamp() where e.id = v_env.id;
  end if;
  return jsonb_build_object('project', p_project, 'branch', p_branch, 'stage', v_env.stage, 'status', 'closed');
end $$;

-- Row-level security: one policy per command (see releases_and_gates for why nobody writes directly).

alter table ops.projects enable row level security;
create policy "members read their projects" on ops.projects for select to authenticated
  using (ops.member_role(id) is not null);
create policy "nobody inserts projects directly; the ops functions do" on ops.projects
  for insert to authenticated with check (false);
create policy "nobody updates projects directly; the ops functions do" on ops.projects
  for update to authenticated using (false) with check (false);
create policy "nobody deletes projects; the record is permanent" on ops.projects
  for delete to authenticated using (false);
revoke all on table ops.projects from public, anon, authenticated, service_role;
grant select on table ops.projects to authenticated, service_role;

alter table ops.members enable row level security;
create policy "members read their project's members" on ops.members for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts members directly; the ops functions do" on ops.members
  for insert to authenticated with check (false);
create policy "nobody updates members directly; the ops functions do" on ops.members
  for update to authenticated using (false) with check (false);
create policy "nobody deletes members; the record is permanent" on ops.members
  for delete to authenticated using (false);
revoke all on table ops.members from public, anon, authenticated, service_role;
grant select on table ops.members to authenticated, service_role;

alter table ops.environments enable row level security;
create policy "members read their project's environments" on ops.environments for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts environments directly; the ops functions do" on ops.environments
  for insert to authenticated with check (false);
create policy "nobody updates environments directly; the ops functions do" on ops.environments
  for update to authenticated using (false) with check (false);
create policy "nobody deletes environments; the record is permanent" on ops.environments
  for delete to authenticated using (false);
revoke all on table ops.environments from public, anon, authenticated, service_role;
grant select on table ops.environments to authenticated, service_role;

-- Privileges, explicitly: PostgreSQL lets PUBLIC execute every new function, so each is revoked from
-- PUBLIC and granted to the API roles that call it.
revoke execute on function
  ops.is_service(), ops.automation_refusal(text, text), ops.member_role(uuid), ops.current_actor(uuid),
  ops.refusal_reason(text, text, text), ops.project_id(text), ops.require_text(text, text, integer, boolean),
  ops.require_small_json(jsonb, text, integer), ops.require_right(uuid, text, text),
  ops.require_service(text), ops.environment_stage(uuid), ops.may_read_stage(uuid, text, text[]),
  ops.require_member(text), ops.can(text, text, text), ops.register_project(text, text, text[], jsonb),
  ops.branch_pattern_regex(text), ops.branch_rules_valid(jsonb), ops.branch_stage(jsonb, text),
  ops.set_member(text, uuid, text, text), ops.remove_member(text, uuid), ops.github_user_id(bigint),
  ops.listed_members(jsonb), ops.sync_project_members(uuid, jsonb), ops.sync_projects(jsonb, text),
  ops.claim_memberships(), ops.whoami(), ops.live_environment(text, text), ops.close_environment(text, text)
from public;
grant execute on function
  ops.is_service(), ops.automation_refusal(text, text), ops.member_role(uuid), ops.current_actor(uuid),
  ops.refusal_reason(text, text, text), ops.project_id(text), ops.require_text(text, text, integer, boolean),
  ops.require_small_json(jsonb, text, integer), ops.environment_stage(uuid),
  ops.may_read_stage(uuid, text, text[]), ops.can(text, text, text), ops.close_environment(text, text)
to authenticated, service_role;
grant execute on function
  ops.claim_memberships(), ops.whoami()
to authenticated;
grant execute on function
  ops.register_project(text, text, text[], jsonb), ops.set_member(text, uuid, text, text),
  ops.remove_member(text, uuid), ops.sync_projects(jsonb, text)
to service_role;
