-- The audit trail. Append-only for everyone, owner included: UPDATE, DELETE and TRUNCATE are refused by
-- a statement trigger (it fires even when no row matches). Every change to a governed table is recorded
-- by a row trigger in the same transaction, so no function can forget it and nothing is lost on rollback.

create function ops.refuse_history_rewrite() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  raise exception using errcode = 'OD010',
    message = format('%s are append-only: %s on ops.%s is refused',
      case tg_table_name when 'audit_events' then 'audit events' else 'gate signatures' end, lower(tg_op),
      tg_table_name),
    hint = 'record a new event instead; history is never rewritten';
end $$;

-- Gate signatures too: re-signing a gate adds a row, never overwrites who signed before.
create trigger audit_events_append_only
  before update or delete or truncate on ops.audit_events
  for each statement execute function ops.refuse_history_rewrite();
create trigger release_gates_append_only
  before update or delete or truncate on ops.release_gates
  for each statement execute function ops.refuse_history_rewrite();

-- Attribution: what a key records (a build key's builds, an agent key's backups and drills) is the key's
-- doing (`build-key:<id>`, role build_key; `agent-key:<id>`, role agent_key), not the anonymous API
-- caller's. The *_with_key functions set odooops.key_actor for the duration of the recording only; it
-- changes what the trail says, never what anyone may do (rights read current_actor).
create function ops.write_audit(
  p_project uuid, p_action text, p_stage text, p_release uuid, p_subject text, p_details jsonb
) returns void
language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
  insert into ops.audit_events
    (project_id, actor, actor_login, actor_role, action, stage, release_id, subject_id, details)
  select p_project, a.user_id,
    coalesce(a.login, case when a.user_id is null then coalesce(k.login, session_user::text)
      else 'non-member ' || a.user_id end),
    coalesce(a.role, case when a.user_id is not null then 'none'
      when k.login is not null then replace(split_part(k.login, ':', 1), '-', '_')
      else 'database' end),
    p_action, p_stage, p_release, p_subject, coalesce(p_details, '{}')
  from ops.current_actor(p_project) a
  cross join (select nullif(current_setting('odooops.key_actor', true), '') as login) k
$$;

-- Past-tense event names: <noun>.<what happened>, e.g. gate.passed, exception.approved.
create function ops.audit_change() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_row jsonb := to_jsonb(coalesce(new, old));
  v_noun text := case tg_table_name
    when 'release_gates' then 'gate' when 'restore_drills' then 'restore_drill'
    else rtrim(tg_table_name, 's') end;
  v_event text;
  v_stage text;
begin
  v_event := case
    when tg_op = 'DELETE' then 'removed'
    when tg_table_name = 'release_gates' then 'passed'
    when tg_table_name = 'exceptions' then v_row ->> 'status'
    when tg_table_name = 'approvals' then v_row ->> 'decision'
    when tg_table_name = 'releases' and tg_op = 'UPDATE' then v_row ->> 'status'
    when tg_table_name = 'environments' and tg_op = 'UPDATE' and v_row ->> 'status' = 'closed' then 'closed'
    when tg_op = 'UPDATE' then 'changed'
    else case tg_table_name
      when 'projects' then 'registered' when 'members' then 'added' when 'environments' then 'opened'
      when 'releases' then 'created' when 'evidence' then 'attached' else 'recorded' end
    end;
  v_stage := coalesce(
    v_row ->> 'stage',
    ops.environment_stage((v_row ->> 'environment_id')::uuid),
    case when tg_table_name = 'releases' then 'production' end);
  perform ops.write_audit(
    (case when tg_table_name = 'projects' then v_row ->> 'id' else v_row ->> 'project_id' end)::uuid,
    v_noun || '.' || v_event,
    v_stage,
    (case when tg_table_name = 'releases' then v_row ->> 'id' else v_row ->> 'release_id' end)::uuid,
    case tg_table_name
      when 'release_gates' then v_row ->> 'gate'
      when 'evidence' then concat_ws(' ', v_row ->> 'gate', v_row ->> 'kind')
      when 'members' then v_row ->> 'github_login'
      when 'environments' then v_row ->> 'branch'
      when 'projects' then v_row ->> 'name'
      when 'releases' then v_row ->> 'name'
      when 'builds' then v_row ->> 'name'
      else v_row ->> 'id' end,
    case when tg_op = 'UPDATE'
      then jsonb_build_object('row', v_row, 'previous', to_jsonb(old))
      else jsonb_build_object('row', v_row) end);
  return null;
end $$;

do $$
declare
  v_table text;
begin
  foreach v_table in array array['projects', 'members', 'environments', 'builds', 'releases', 'exceptions',
    'release_gates', 'evidence', 'approvals', 'deployments', 'backups', 'restore_drills'] loop
    execute format('create trigger %I after insert or update or delete on ops.%I
      for each row execute function ops.audit_change()', v_table || '_audited', v_table);
  end loop;
end $$;
