-- Agent keys: what a host's data agent records its evidence with, instead of the service-role key. An
-- agent key (ops.build_keys, purpose 'agent', `odooops_ak_…`, created and revoked like a build key) belongs
-- to one project and one stage; with Supabase's public anon key it may call exactly the three functions
-- below: record a backup (succeeded or failed) of an environment of its stage, find such a backup by its
-- location, and record a restore drill of one. A shell on a production host therefore yields at most
-- false backup or drill records of that project's production — never a gate, a build, a deployment, a
-- read of another table, or anything in another project or stage. Automation's stage rules bind it too
-- (ops.automation_refusal): nobody drills development, so neither does a development agent key.

-- The key's scope, or the one refusal for an unknown, revoked, foreign or build key (which tells nothing
-- about which it was, nor whether the project exists).
create function ops.agent_key_scope(p_key text, p_project text) returns ops.build_keys
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.build_keys;
begin
  select * into v from ops.build_keys k
  where k.key_hash = ops.build_key_hash(p_key) and k.revoked_at is null and k.purpose = 'agent'
    and k.project_id = (select p.id from ops.projects p where p.name = p_project);
  if not found then
    raise exception using errcode = '42501',
      message = format('this agent key does not record evidence of %s: it is unknown, revoked or another project''s',
        coalesce(left(p_project, 30), '(no project)')),
      hint = 'a release manager creates one per project and stage (odooops build-key create <project> --stage <stage> --agent)';
  end if;
  return v;
end $$;

-- An action of the key's own stage: automation's right there (stage rules), attributed to the key.
create function ops.agent_key_actor(p_key ops.build_keys, p_action text, p_stage text) returns ops.actor
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_stage is distinct from p_key.stages[1] then
    raise exception using errcode = '42501',
      message = format('this agent key records %s evidence only, not %s', p_key.stages[1], coalesce(p_stage, '(none)')),
      hint = 'each stage''s hosts hold their own agent key';
  end if;
  if ops.automation_refusal(p_action, p_stage) is not null then
    raise exception using errcode = '42501', message = ops.automation_refusal(p_action, p_stage);
  end if;
  perform set_config('odooops.key_actor', 'agent-key:' || p_key.id, true);
  return row(null, 'agent-key:' || p_key.id, 'agent_key')::ops.actor;
end $$;

create function ops.record_backup_with_key(
  p_key text, p_project text, p_branch text, p_kind text, p_status text, p_location text,
  p_started_at timestamptz, p_finished_at timestamptz,
  p_size_bytes bigint default null, p_sha256 text default null, p_details jsonb default '{}'
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_key ops.build_keys := ops.agent_key_scope(p_key, p_project);
  v_env ops.environments;
  v_result jsonb;
begin
  select * into v_env from ops.environments e where e.project_id = v_key.project_id and e.branch = p_branch;
  if not found then
    raise exception using errcode = 'P0002', message = format('no environment for branch %s in %s',
      left(p_branch, 255), p_project);
  end if;
  v_result := ops.store_backup(v_env, ops.agent_key_actor(v_key, 'backup.run', v_env.stage), p_kind, p_status,
    p_location, p_started_at, p_finished_at, p_size_bytes, p_sha256, p_details);
  perform set_config('odooops.key_actor', '', true);
  return v_result;
end $$;

-- The newest backup of the key's project and stage stored at p_location.
create function ops.find_backup_with_key(p_key text, p_project text, p_location text) returns jsonb
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_key ops.build_keys := ops.agent_key_scope(p_key, p_project);
  v ops.backups;
begin
  select b.* into v from ops.backups b join ops.environments e on e.id = b.environment_id
  where b.project_id = v_key.project_id and e.stage = v_key.stages[1] and b.location = p_location
  order by b.finished_at desc, b.recorded_at desc
  limit 1;
  if not found then
    raise exception using errcode = 'P0002',
      message = format('no %s backup at %s in %s', v_key.stages[1], left(p_location, 2048), p_project),
      hint = 'the agent that takes a backup records it; drills need that record';
  end if;
  return ops.backup_json(v);
end $$;

create function ops.record_restore_drill_with_key(
  p_key text, p_project text, p_backup uuid, p_result text, p_criteria jsonb, p_log_uri text,
  p_drilled_at timestamptz, p_duration_seconds numeric default null
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_key ops.build_keys := ops.agent_key_scope(p_key, p_project);
  v_backup ops.backups;
  v_result jsonb;
begin
  select * into v_backup from ops.backups b where b.id = p_backup and b.project_id = v_key.project_id;
  if not found then
    raise exception using errcode = 'P0002', message = format('no backup %s in %s', p_backup, p_project);
  end if;
  v_result := ops.store_restore_drill(v_backup,
    ops.agent_key_actor(v_key, 'restore.drill', ops.environment_stage(v_backup.environment_id)),
    p_result, p_criteria, p_log_uri, p_drilled_at, p_duration_seconds);
  perform set_config('odooops.key_actor', '', true);
  return v_result;
end $$;

-- Privileges, explicitly, as in the *_grants migration: anon gets the three calls, nothing else.
revoke execute on function
  ops.agent_key_scope(text, text), ops.agent_key_actor(ops.build_keys, text, text),
  ops.record_backup_with_key(text, text, text, text, text, text, timestamptz, timestamptz, bigint, text, jsonb),
  ops.find_backup_with_key(text, text, text),
  ops.record_restore_drill_with_key(text, text, uuid, text, jsonb, text, timestamptz, numeric)
from public;
grant execute on function
  ops.record_backup_with_key(text, text, text, text, text, text, timestamptz, timestamptz, bigint, text, jsonb),
  ops.find_backup_with_key(text, text, text),
  ops.record_restore_drill_with_key(text, text, uuid, text, jsonb, text, timestamptz, numeric)
to anon;
