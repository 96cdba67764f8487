-- Who is calling, as Supabase presents it: a signed-in member (auth.uid(), one persona per project) or
-- the service role (CI and the host agent, trusted to record facts they produce). Every write function
-- starts with ops.require_right, which reads the generated decision-rights table (ops.allowed_roles).
--
-- SQLSTATEs raised by the control plane (controlplane/errors.ts turns them into readable messages):
--   42501 not allowed (decision rights, membership)   P0002 not found      22023 invalid input
--   23505 already exists   OD001 gate out of order     OD002 evidence missing
--   OD003 separation of duties (signer/approver/author) OD004 already decided
--   OD005 exception not active   OD006 not deployed (G4)   OD007 release not ready   OD010 audit append-only

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

create function ops.build_stage(p_build uuid) returns text
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select e.stage from ops.builds b join ops.environments e on e.id = b.environment_id where b.id = p_build
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
