-- Deployments, backups, restore drills and access decisions: the operational facts the release gates
-- and the data agent depend on. Stages come from the environment (branch) a fact is about.

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

-- Production deployments carry their release: approved for promotion, G1–G3 still passed or covered by
-- an exception that is active now (an expired exception authorizes nothing, seed 001 FR-6).
create function ops.record_deployment(p_project text, p_branch text, p_build text, p_release text default null)
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments := ops.live_environment(p_project, p_branch);
  v_actor ops.actor := ops.require_right(v_env.project_id, 'deploy', v_env.stage);
  v_build uuid;
  v_release ops.releases;
  v_blocking text[];
begin
  select b.id into v_build from ops.builds b where b.project_id = v_env.project_id and b.name = p_build;
  if v_build is null then
    raise exception using errcode = 'P0002', message = format('no build %s in project %s', p_build, p_project);
  end if;
  if v_env.stage = 'production' and p_release is null then
    raise exception using errcode = '22023', message = 'a production deployment names its release';
  end if;
  if p_release is not null then
    v_release := ops.lock_release(v_env.project_id, p_release);
    if v_release.build_id <> v_build then
      raise exception using errcode = '22023', message = format('release %s is not built from %s', p_release, p_build);
    end if;
  end if;
  if v_env.stage = 'production' then
    if v_release.status = 'candidate' then
      raise exception using errcode = 'OD007', message = format('release %s has not been approved for promotion', p_release),
        hint = 'a release manager who did not create it approves it first';
    end if;
    v_blocking := ops.blocking_gates(v_release.id, 'G3');
    if cardinality(v_blocking) > 0 then
      raise exception using errcode = 'OD007',
        message = format('release %s cannot be deployed: %s neither passed nor covered by an active exception',
          p_release, array_to_string(v_blocking, ', '));
    end if;
  end if;
  insert into ops.deployments (project_id, environment_id, build_id, release_id, deployed_by, deployed_login)
  values (v_env.project_id, v_env.id, v_build, v_release.id, v_actor.user_id, v_actor.login);
  if v_env.stage = 'production' and v_release.status = 'approved' then
    update ops.releases r set status = 'deployed' where r.id = v_release.id;
  end if;
  return jsonb_build_object('project', p_project, 'branch', p_branch, 'stage', v_env.stage, 'build', p_build,
    'release', p_release, 'deployedBy', v_actor.login);
end $$;

-- A backup as the clients see it (ops.record_backup, ops.find_backup and their agent-key twins).
create function ops.backup_json(p ops.backups) returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select jsonb_build_object('id', p.id, 'project', pr.name, 'branch', e.branch, 'stage', e.stage,
    'kind', p.kind, 'status', p.status, 'location', p.location, 'finishedAt', p.finished_at)
  from ops.projects pr, ops.environments e
  where pr.id = p.project_id and e.id = p.environment_id
$$;

-- The body of ops.record_backup, shared with ops.record_backup_with_key: whoever calls it has decided
-- that p_actor may record backups of p_env.
create function ops.store_backup(
  p_env ops.environments, p_actor ops.actor, p_kind text, p_status text, p_location text,
  p_started_at timestamptz, p_finished_at timestamptz, p_size_bytes bigint, p_sha256 text, p_details jsonb
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.backups;
begin
  if p_kind is null or p_kind not in ('scheduled', 'manual', 'pre_deploy') then
    raise exception using errcode = '22023', message = format('backup kind %s is unknown', coalesce(p_kind, '(none)')),
      hint = 'one of scheduled, manual, pre_deploy';
  end if;
  if p_status is null or p_status not in ('succeeded', 'failed') then
    raise exception using errcode = '22023', message = format('backup status %s is unknown', coalesce(p_status, '(none)')),
      hint = 'succeeded or failed';
  end if;
  perform ops.require_text(p_location, 'a backup location', 2048);
  perform ops.require_small_json(p_details, 'backup details', 16384);
  insert into ops.backups (project_id, environment_id, kind, status, location, size_bytes, sha256, details,
    started_at, finished_at, recorded_by, recorded_login)
  values (p_env.project_id, p_env.id, p_kind, p_status, p_location, p_size_bytes, p_sha256,
    coalesce(p_details, '{}'), p_started_at, p_finished_at, p_actor.user_id, p_actor.login)
  returning * into v;
  return ops.backup_json(v);
end $$;

create function ops.record_backup(
  p_project text, p_branch text, p_kind text, p_status text, p_location text,
  p_started_at timestamptz, p_finished_at timestamptz,
  p_size_bytes bigint default null, p_sha256 text default null, p_details jsonb default '{}'
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments := ops.live_environment(p_project, p_branch);
begin
  return ops.store_backup(v_env, ops.require_right(v_env.project_id, 'backup.run', v_env.stage), p_kind,
    p_status, p_location, p_started_at, p_finished_at, p_size_bytes, p_sha256, p_details);
end $$;

-- A drill restores a recorded backup and checks success criteria (seed 001 FR-5). "passed" is accepted
-- only with every criterion met and a backup that succeeded: an unvalidated backup is never good. The
-- body of ops.record_restore_drill, shared with ops.record_restore_drill_with_key.
create function ops.store_restore_drill(
  p_backup ops.backups, p_actor ops.actor, p_result text, p_criteria jsonb, p_log_uri text,
  p_drilled_at timestamptz, p_duration_seconds numeric
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.restore_drills;
begin
  if p_result is null or p_result not in ('passed', 'failed') then
    raise exception using errcode = '22023', message = format('drill result %s is unknown', coalesce(p_result, '(none)')),
      hint = 'passed or failed';
  end if;
  perform ops.require_text(p_log_uri, 'the drill log URI', 2048);
  if jsonb_typeof(p_criteria) is distinct from 'object' or length(p_criteria::text) > 16384
     or exists (select 1 from jsonb_each(p_criteria) c where jsonb_typeof(c.value) <> 'boolean') then
    raise exception using errcode = '22023', message = 'criteria must map each success criterion to true or false';
  end if;
  if p_result = 'passed' and (p_backup.status <> 'succeeded' or not exists (select 1 from jsonb_each(p_criteria))
      or exists (select 1 from jsonb_each(p_criteria) c where c.value <> 'true'::jsonb)) then
    raise exception using errcode = '22023',
      message = 'a drill passes only when the backup succeeded and every success criterion is met',
      hint = 'record it as failed, with the criteria as measured';
  end if;
  insert into ops.restore_drills (project_id, environment_id, backup_id, result, criteria, log_uri,
    duration_seconds, drilled_at, recorded_by, recorded_login)
  values (p_backup.project_id, p_backup.environment_id, p_backup.id, p_result, p_criteria, p_log_uri,
    p_duration_seconds, p_drilled_at, p_actor.user_id, p_actor.login)
  returning * into v;
  return jsonb_build_object('id', v.id, 'backup', v.backup_id, 'result', v.result, 'criteria', v.criteria,
    'drilledAt', v.drilled_at);
end $$;

create function ops.record_restore_drill(
  p_backup uuid, p_result text, p_criteria jsonb, p_log_uri text, p_drilled_at timestamptz,
  p_duration_seconds numeric default null
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_backup ops.backups;
begin
  select * into v_backup from ops.backups b where b.id = p_backup;
  if not found then
    raise exception using errcode = 'P0002', message = format('no backup %s', coalesce(p_backup::text, '(none)'));
  end if;
  return ops.store_restore_drill(v_backup,
    ops.require_right(v_backup.project_id, 'restore.drill', ops.environment_stage(v_backup.environment_id)),
    p_result, p_criteria, p_log_uri, p_drilled_at, p_duration_seconds);
end $$;

-- Authorizes an action that happens outside the control plane (shell, logs, restore, rollback, keep)
-- and records the decision either way: refusals are audited too, so nothing raises here. backup.restore
-- is decided by ops.request_restore_access (*_restore_requests migration), so a production restore cannot
-- be granted without its approved request.
create function ops.request_access(p_project text, p_branch text, p_action text) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments;
  v_actor ops.actor;
  v_allowed boolean;
  v_reason text;
begin
  if p_action = 'backup.restore' then
    return ops.request_restore_access(p_project, p_branch) - 'backup' - 'request';
  end if;
  v_env := ops.live_environment(p_project, p_branch);
  v_actor := ops.current_actor(v_env.project_id);
  if p_action is null or not (p_action = any (ops.access_actions())) then
    raise exception using errcode = '22023', message = format('%s is not an access request', coalesce(p_action, '(none)')),
      hint = format('one of %s', array_to_string(ops.access_actions(), ', '));
  end if;
  v_allowed := v_actor.role is not null and v_actor.role <> 'service_role'
    and ops.role_may(v_actor.role, p_action, v_env.stage);
  v_reason := case
    when v_actor.role = 'service_role' then format('the service role may not %s: that needs a person', p_action)
    when v_actor.role is null then format('not a member of project %s', p_project)
    when v_allowed then format('%s may %s in %s', v_actor.role, p_action, v_env.stage)
    else ops.refusal_reason(v_actor.role, p_action, v_env.stage) end;
  perform ops.write_audit(v_env.project_id, case when v_allowed then 'access.granted' else 'access.refused' end,
    v_env.stage, null, p_branch, jsonb_build_object('action', p_action, 'branch', p_branch, 'reason', v_reason));
  return jsonb_build_object('allowed', v_allowed, 'reason', v_reason, 'role', v_actor.role,
    'action', p_action, 'stage', v_env.stage, 'branch', p_branch);
end $$;
