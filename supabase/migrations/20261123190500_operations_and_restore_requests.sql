-- Operations: backups, restore drills, incidents, access decisions and restore requests, the facts the
-- data agent records and the decisions taken outside the control plane. Stages come from the environment
-- (branch) a fact is about.
--
-- The data agent knows a backup by where it stored it; a restore drill (ops.record_restore_drill) names
-- the control plane's record of that backup. ops.find_backup is security invoker, like the other read
-- functions: the lookup reads through the caller's row-level security, so whoever may not see a stage's
-- backups cannot find them either. The newest record wins when one location was recorded more than once.

create table ops.backups (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  environment_id uuid not null references ops.environments (id),
  kind text not null check (kind in ('scheduled', 'manual', 'pre_deploy')),
  status text not null check (status in ('succeeded', 'failed')),
  location text not null check (location ~ '^[a-z][a-z0-9+.-]*://[^[:space:]]+$'),
  size_bytes bigint check (size_bytes >= 0),
  sha256 text check (sha256 ~ '^[a-f0-9]{64}$'),
  details jsonb not null default '{}' check (jsonb_typeof(details) = 'object'),
  started_at timestamptz not null,
  finished_at timestamptz not null check (finished_at >= started_at),
  recorded_by uuid,
  recorded_login text not null,
  recorded_at timestamptz not null default clock_timestamp()
);
create index backups_environment_idx on ops.backups (environment_id, finished_at desc);

-- Seed 001 FR-5: drill log, restore result, success criteria met.
create table ops.restore_drills (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  environment_id uuid not null references ops.environments (id),
  backup_id uuid not null references ops.backups (id),
  result text not null check (result in ('passed', 'failed')),
  criteria jsonb not null check (jsonb_typeof(criteria) = 'object'),
  log_uri text not null check (log_uri ~ '^[a-z][a-z0-9+.-]*://[^[:space:]]+$'),
  duration_seconds numeric check (duration_seconds >= 0),
  drilled_at timestamptz not null,
  recorded_by uuid,
  recorded_login text not null,
  recorded_at timestamptz not null default clock_timestamp()
);

create table ops.incidents (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  environment_id uuid not null references ops.environments (id),
  deployment_id uuid references ops.deployments (id),
  summary text not null check (length(btrim(summary)) between 5 and 500),
  details jsonb not null default '{}' check (jsonb_typeof(details) = 'object' and length(details::text) <= 20000),
  opened_by uuid,
  opened_login text not null,
  opened_at timestamptz not null default clock_timestamp()
);
create index incidents_environment_idx on ops.incidents (environment_id, opened_at desc);
alter table ops.incidents enable row level security;
-- One policy per command, as every table (the service role bypasses RLS for reads).
create policy "members read their project's incidents" on ops.incidents for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts incidents directly; the ops functions do" on ops.incidents
  for insert to authenticated with check (false);
create policy "nobody updates incidents directly; the ops functions do" on ops.incidents
  for update to authenticated using (false) with check (false);
create policy "nobody deletes incidents; the record is permanent" on ops.incidents
  for delete to authenticated using (false);

revoke all on table ops.incidents from public, anon, authenticated, service_role;
grant select on table ops.incidents to authenticated, service_role;

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

create function ops.find_backup(p_project text, p_location text) returns jsonb
language plpgsql stable set search_path = pg_catalog, pg_temp as $$
declare
  v_project uuid := ops.project_id(p_project);
  v ops.backups;
begin
  select * into v from ops.backups b
   where b.project_id = v_project and b.location = p_location
   order by b.finished_at desc, b.recorded_at desc
   limit 1;
  if not found then
    raise exception using errcode = 'P0002',
      message = format('no backup at %s in %s that you can see', coalesce(p_location, '(none)'), p_project),
      hint = 'the agent that takes a backup records it (ops.record_backup); drills need that record';
  end if;
  return ops.backup_json(v);
end $$;

-- A failed check is evidence: whoever may attach evidence in the stage (automation, the SRE and release
-- manager in production) opens an incident, linked to the environment's latest deployment.
create function ops.open_incident(p_project text, p_branch text, p_summary text, p_details jsonb default '{}')
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments;
  v_actor ops.actor;
  v ops.incidents;
begin
  perform ops.require_member(p_project);
  v_env := ops.live_environment(p_project, p_branch);
  v_actor := ops.require_right(v_env.project_id, 'evidence.attach', v_env.stage);
  if p_summary is null or pg_catalog.length(pg_catalog.btrim(p_summary)) not between 5 and 500 then
    raise exception using errcode = '22023', message = 'an incident summary has 5 to 500 characters';
  end if;
  if pg_catalog.jsonb_typeof(coalesce(p_details, '{}')) <> 'object' or pg_catalog.length(p_details::text) > 20000 then
    raise exception using errcode = '22023', message = 'incident details are a JSON object of at most 20000 characters';
  end if;
  insert into ops.incidents (project_id, environment_id, deployment_id, summary, details, opened_by, opened_login)
  values (v_env.project_id, v_env.id,
    (select d.id from ops.deployments d where d.environment_id = v_env.id order by d.deployed_at desc limit 1),
    p_summary, coalesce(p_details, '{}'), v_actor.user_id, v_actor.login)
  returning * into v;
  return pg_catalog.jsonb_build_object('id', v.id, 'project', p_project, 'branch', p_branch, 'stage', v_env.stage,
    'summary', v.summary, 'deployment', v.deployment_id, 'openedBy', v.opened_login, 'openedAt', v.opened_at);
end $$;

-- Authorizes an action that happens outside the control plane (shell, logs, restore, rollback, keep)
-- and records the decision either way: refusals are audited too, so nothing raises here. backup.restore
-- is decided by ops.request_restore_access (below), so a production restore cannot
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

alter table ops.backups enable row level security;
create policy "data personas and auditors read their project's backups" on ops.backups
  for select to authenticated using (ops.may_read_stage(project_id, ops.environment_stage(environment_id), ops.data_record_actions()));
create policy "nobody inserts backups directly; the ops functions do" on ops.backups
  for insert to authenticated with check (false);
create policy "nobody updates backups directly; the ops functions do" on ops.backups
  for update to authenticated using (false) with check (false);
create policy "nobody deletes backups; the record is permanent" on ops.backups
  for delete to authenticated using (false);
revoke all on table ops.backups from public, anon, authenticated, service_role;
grant select on table ops.backups to authenticated, service_role;

alter table ops.restore_drills enable row level security;
create policy "data personas and auditors read their project's restore drills" on ops.restore_drills
  for select to authenticated using (ops.may_read_stage(project_id, ops.environment_stage(environment_id), ops.data_record_actions()));
create policy "nobody inserts restore drills directly; the ops functions do" on ops.restore_drills
  for insert to authenticated with check (false);
create policy "nobody updates restore drills directly; the ops functions do" on ops.restore_drills
  for update to authenticated using (false) with check (false);
create policy "nobody deletes restore drills; the record is permanent" on ops.restore_drills
  for delete to authenticated using (false);
revoke all on table ops.restore_drills from public, anon, authenticated, service_role;
grant select on table ops.restore_drills to authenticated, service_role;

-- Privileges, explicitly: PostgreSQL lets PUBLIC execute every new function, so each is revoked from
-- PUBLIC and granted to the API roles that call it.
revoke execute on function
  ops.backup_json(ops.backups),
  ops.store_backup(ops.environments, ops.actor, text, text, text, timestamp with time zone, timestamp with time zone, bigint, text, jsonb),
  ops.record_backup(text, text, text, text, text, timestamp with time zone, timestamp with time zone, bigint, text, jsonb),
  ops.store_restore_drill(ops.backups, ops.actor, text, jsonb, text, timestamp with time zone, numeric),
  ops.record_restore_drill(uuid, text, jsonb, text, timestamp with time zone, numeric),
  ops.find_backup(text, text), ops.open_incident(text, text, text, jsonb),
  ops.request_access(text, text, text)
from public;
grant execute on function
  ops.backup_json(ops.backups),
  ops.record_backup(text, text, text, text, text, timestamp with time zone, timestamp with time zone, bigint, text, jsonb),
  ops.record_restore_drill(uuid, text, jsonb, text, timestamp with time zone, numeric),
  ops.find_backup(text, text), ops.open_incident(text, text, text, jsonb),
  ops.request_access(text, text, text)
to authenticated, service_role;

-- Production restores need a second person. An SRE requests the restore of one named backup with a
-- reason; a release manager other than the requester approves it (decision right restore.approve) or
-- rejects it with a reason; an approval authorizes one restore of that backup until the request expires,
-- two hours after it was made. ops.request_restore_access consumes it when it grants the restore, in the
-- transaction that audits the grant; ops.request_access (above) hands backup.restore to it, so there is
-- no way around the request. ops.list_restore_requests shows a project's requests with a derived state
-- (pending, approved, rejected, consumed, expired) to whoever may read them.

create table ops.restore_requests (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  environment_id uuid not null references ops.environments (id),
  -- The agent's backup name (model/data/backup-record.ts): `<database>/<20261123T020000Z>-<kind>`.
  backup text not null check (backup ~ '^[A-Za-z0-9_.-]{1,63}/[0-9]{8}T[0-9]{6}Z-[a-z-]+$'),
  reason text not null check (reason ~ '[^[:space:]]' and length(reason) <= 1000),
  requested_by uuid not null,
  requested_login text not null,
  requested_at timestamptz not null default clock_timestamp(),
  expires_at timestamptz not null,
  approved_by uuid,
  approved_login text,
  approved_at timestamptz,
  consumed_by uuid,
  consumed_login text,
  consumed_at timestamptz,
  rejected_by uuid,
  rejected_login text,
  rejected_at timestamptz,
  reject_reason text check (reject_reason ~ '[^[:space:]]' and length(reject_reason) <= 1000),
  check (expires_at > requested_at),
  check ((approved_at is null) = (approved_login is null)),
  check ((consumed_at is null) = (consumed_login is null)),
  check (consumed_at is null or approved_at is not null),
  check (approved_by is distinct from requested_by or approved_by is null),
  check ((rejected_at is null) = (rejected_login is null)),
  check ((rejected_at is null) = (reject_reason is null)),
  -- A request is decided once: approved (and perhaps used) or rejected, never both.
  check (rejected_at is null or approved_at is null)
);
create index restore_requests_environment_idx on ops.restore_requests (environment_id, requested_at);

-- What a request is now. A decision outlives the expiry: a used or rejected request stays so.
create function ops.restore_request_state(p ops.restore_requests) returns text
language sql stable set search_path = pg_catalog, pg_temp as $$
  select case
    when p.consumed_at is not null then 'consumed'
    when p.rejected_at is not null then 'rejected'
    when p.expires_at <= now() then 'expired'
    when p.approved_at is not null then 'approved'
    else 'pending' end
$$;

create function ops.restore_request_states() returns text[]
language sql immutable parallel safe set search_path = pg_catalog, pg_temp as $$
  select array['pending', 'approved', 'rejected', 'consumed', 'expired']::text[]
$$;

-- Audited in the same transaction as every governed table: who asked to restore what and why, who
-- approved or rejected it, and when it was used.
create function ops.audit_restore_request() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.restore_requests := coalesce(new, old);
begin
  perform ops.write_audit(v.project_id,
    'restore.' || case
      when tg_op = 'INSERT' then 'requested'
      when tg_op = 'DELETE' then 'removed'
      when new.consumed_at is not null and old.consumed_at is null then 'consumed'
      when new.approved_at is not null and old.approved_at is null then 'approved'
      when new.rejected_at is not null and old.rejected_at is null then 'rejected'
      else 'changed' end,
    ops.environment_stage(v.environment_id),
    null,
    v.id::text,
    jsonb_strip_nulls(jsonb_build_object(
      'branch', (select e.branch from ops.environments e where e.id = v.environment_id),
      'backup', v.backup, 'reason', v.reason, 'requestedBy', v.requested_login,
      'approvedBy', v.approved_login, 'consumedBy', v.consumed_login, 'rejectedBy', v.rejected_login,
      'rejectReason', v.reject_reason, 'expiresAt', v.expires_at)));
  return null;
end $$;

create trigger restore_requests_audited after insert or update or delete on ops.restore_requests
  for each row execute function ops.audit_restore_request();

-- Read like backups: personas with a data right in the stage, and auditors. Nobody writes directly.
alter table ops.restore_requests enable row level security;
create policy "data personas and auditors read their project's restore requests" on ops.restore_requests
  for select to authenticated
  using (ops.may_read_stage(project_id, ops.environment_stage(environment_id), ops.data_record_actions()));
create policy "nobody inserts restore requests directly; the ops functions do" on ops.restore_requests
  for insert to authenticated with check (false);
create policy "nobody updates restore requests directly; the ops functions do" on ops.restore_requests
  for update to authenticated using (false) with check (false);
create policy "nobody deletes restore requests; the record is permanent" on ops.restore_requests
  for delete to authenticated using (false);

revoke all on table ops.restore_requests from public, anon, authenticated, service_role;
grant select on table ops.restore_requests to authenticated, service_role;

-- Security invoker like ops.build_key_json: called by the security-definer writers it reads as they do;
-- called by ops.list_restore_requests it reads projects and environments through row-level security.
create function ops.restore_request_json(p ops.restore_requests) returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select jsonb_build_object('id', p.id, 'project', pr.name, 'branch', e.branch, 'stage', e.stage,
    'backup', p.backup, 'reason', p.reason, 'requestedBy', p.requested_login, 'requestedAt', p.requested_at,
    'expiresAt', p.expires_at, 'approvedBy', p.approved_login, 'approvedAt', p.approved_at,
    'consumedBy', p.consumed_login, 'consumedAt', p.consumed_at,
    'rejectedBy', p.rejected_login, 'rejectedAt', p.rejected_at, 'rejectReason', p.reject_reason,
    'state', ops.restore_request_state(p))
  from ops.projects pr, ops.environments e
  where pr.id = p.project_id and e.id = p.environment_id
$$;

create function ops.request_restore(p_project text, p_branch text, p_backup text, p_reason text)
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments := ops.live_environment(p_project, p_branch);
  v_actor ops.actor := ops.require_right(v_env.project_id, 'backup.restore', v_env.stage);
  v ops.restore_requests;
begin
  if v_env.stage <> 'production' then
    raise exception using errcode = '22023',
      message = format('only production restores are requested; %s of %s is %s', p_branch, p_project, v_env.stage),
      hint = 'odooops restore <project> <branch> runs directly where decision rights allow it';
  end if;
  if p_backup is null or p_backup !~ '^[A-Za-z0-9_.-]{1,63}/[0-9]{8}T[0-9]{6}Z-[a-z-]+$' then
    raise exception using errcode = '22023',
      message = format('%s is not a backup name', coalesce(p_backup, '(none)')),
      hint = 'a name as the agent lists them, e.g. acme_erp/20261123T020000Z-scheduled';
  end if;
  if p_reason is null or p_reason !~ '[^[:space:]]' or length(p_reason) > 1000 then
    raise exception using errcode = '22023', message = 'a restore request says why, in up to 1000 characters';
  end if;
  insert into ops.restore_requests (project_id, environment_id, backup, reason, requested_by, requested_login,
    expires_at)
  values (v_env.project_id, v_env.id, p_backup, p_reason, v_actor.user_id, v_actor.login,
    clock_timestamp() + interval '2 hours')
  returning * into v;
  return ops.restore_request_json(v);
end $$;

-- Security invoker, like the other reads: row-level security decides which requests a caller sees.
create function ops.list_restore_requests(p_project text, p_state text default null) returns jsonb
language plpgsql stable set search_path = pg_catalog, pg_temp as $$
declare
  v_project uuid := ops.project_id(p_project);
begin
  if p_state is not null and not (p_state = any (ops.restore_request_states())) then
    raise exception using errcode = '22023', message = format('unknown restore request state %s', p_state),
      hint = format('one of %s', array_to_string(ops.restore_request_states(), ', '));
  end if;
  return (
    select coalesce(jsonb_agg(ops.restore_request_json(r) order by r.requested_at, r.id), '[]')
    from ops.restore_requests r
    where r.project_id = v_project and (p_state is null or ops.restore_request_state(r) = p_state));
end $$;

create function ops.reject_restore(p_id uuid, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.restore_requests;
  v_actor ops.actor;
begin
  select * into v from ops.restore_requests r where r.id = p_id for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no restore request %s', coalesce(p_id::text, '(none)')),
      hint = 'odooops restore list <project> shows the requests of a project';
  end if;
  v_actor := ops.require_right(v.project_id, 'restore.approve', ops.environment_stage(v.environment_id));
  if p_reason is null or p_reason !~ '[^[:space:]]' or length(p_reason) > 1000 then
    raise exception using errcode = '22023', message = 'a rejection says why, in up to 1000 characters';
  end if;
  if v.rejected_at is not null then
    raise exception using errcode = 'OD004',
      message = format('restore request %s was already rejected by %s', v.id, v.rejected_login);
  end if;
  if v.approved_at is not null then
    raise exception using errcode = 'OD004',
      message = format('restore request %s was already approved by %s', v.id, v.approved_login),
      hint = 'an approved request stays usable until it expires; only a pending request is rejected';
  end if;
  if v.expires_at <= clock_timestamp() then
    raise exception using errcode = 'OD005',
      message = format('restore request %s expired at %s: there is nothing to reject', v.id, v.expires_at);
  end if;
  update ops.restore_requests r set rejected_by = v_actor.user_id, rejected_login = v_actor.login,
    rejected_at = clock_timestamp(), reject_reason = p_reason
  where r.id = v.id
  returning * into v;
  return ops.restore_request_json(v);
end $$;

create function ops.approve_restore(p_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.restore_requests;
  v_actor ops.actor;
begin
  select * into v from ops.restore_requests r where r.id = p_id for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no restore request %s', coalesce(p_id::text, '(none)'));
  end if;
  v_actor := ops.require_right(v.project_id, 'restore.approve', ops.environment_stage(v.environment_id));
  if v.approved_at is not null then
    raise exception using errcode = 'OD004',
      message = format('restore request %s was already approved by %s', v.id, v.approved_login);
  end if;
  if v.rejected_at is not null then
    raise exception using errcode = 'OD004',
      message = format('restore request %s was rejected by %s: %s', v.id, v.rejected_login, v.reject_reason),
      hint = 'the SRE requests the restore again';
  end if;
  if v.requested_by = v_actor.user_id then
    raise exception using errcode = 'OD003',
      message = format('%s requested restore %s and cannot approve it too', v_actor.login, v.id),
      hint = 'another release manager approves it';
  end if;
  if v.expires_at <= clock_timestamp() then
    raise exception using errcode = 'OD005',
      message = format('restore request %s expired at %s', v.id, v.expires_at),
      hint = 'the SRE requests the restore again';
  end if;
  update ops.restore_requests r set approved_by = v_actor.user_id, approved_login = v_actor.login,
    approved_at = clock_timestamp()
  where r.id = v.id
  returning * into v;
  return ops.restore_request_json(v);
end $$;

-- The access decision for `odooops restore`: decision rights as in ops.request_access and, in production,
-- an approved, unexpired, unused request of the caller for this environment and backup, consumed by the grant. Refusals
-- are answers, not errors, so that they are audited too. p_backup defaults to the request's backup.
create function ops.request_restore_access(
  p_project text, p_branch text, p_backup text default null, p_request uuid default null
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments := ops.live_environment(p_project, p_branch);
  v_actor ops.actor := ops.current_actor(v_env.project_id);
  v_allowed boolean;
  v_reason text;
  v_request ops.restore_requests;
  v_backup text := p_backup;
begin
  if p_backup is not null and p_backup !~ '^[A-Za-z0-9_.-]{1,63}/[0-9]{8}T[0-9]{6}Z-[a-z-]+$' then
    raise exception using errcode = '22023', message = 'that is not a backup name',
      hint = 'a name as the agent lists them, e.g. acme_erp/20261123T020000Z-scheduled';
  end if;
  v_allowed := v_actor.role is not null and v_actor.role <> 'service_role'
    and ops.role_may(v_actor.role, 'backup.restore', v_env.stage);
  v_reason := case
    when v_actor.role = 'service_role' then 'the service role may not backup.restore: that needs a person'
    when v_actor.role is null then format('not a member of project %s', p_project)
    when v_allowed then format('%s may backup.restore in %s', v_actor.role, v_env.stage)
    else ops.refusal_reason(v_actor.role, 'backup.restore', v_env.stage) end;
  if v_allowed and v_env.stage = 'production' then
    if p_request is not null then
      select * into v_request from ops.restore_requests r
      where r.id = p_request and r.environment_id = v_env.id for update;
    end if;
    v_reason := case
      when p_request is null then
        'a production restore needs a restore request approved by a release manager: '
        || 'odooops restore request <project> <branch> --backup <name> --reason <why>, then --request <id>'
      when v_request.id is null then format('no restore request %s for %s of %s', p_request, p_branch, p_project)
      -- The approver vouched for this requester's reason: nobody else (another SRE included) uses it.
      when v_request.requested_by is distinct from v_actor.user_id then
        format('restore request %s is %s''s: only the SRE who made it may use it', v_request.id,
          v_request.requested_login)
      when v_request.rejected_at is not null then
        format('restore request %s was rejected by %s: %s', v_request.id, v_request.rejected_login,
          v_request.reject_reason)
      when v_request.approved_at is null then
        format('restore request %s has not been approved: a release manager other than %s approves it',
          v_request.id, v_request.requested_login)
      when v_request.consumed_at is not null then
        format('restore request %s was already used by %s at %s: each request restores once',
          v_request.id, v_request.consumed_login, v_request.consumed_at)
      when v_request.expires_at <= clock_timestamp() then
        format('restore request %s expired at %s', v_request.id, v_request.expires_at)
      when p_backup is not null and p_backup <> v_request.backup then
        format('restore request %s is for backup %s, not %s', v_request.id, v_request.backup, p_backup)
      else null end;
    v_allowed := v_reason is null;
    if v_allowed then
      update ops.restore_requests r set consumed_by = v_actor.user_id, consumed_login = v_actor.login,
        consumed_at = clock_timestamp()
      where r.id = v_request.id;
      v_backup := v_request.backup;
      v_reason := format('%s may backup.restore in production: request %s, approved by %s',
        v_actor.role, v_request.id, v_request.approved_login);
    end if;
  end if;
  perform ops.write_audit(v_env.project_id, case when v_allowed then 'access.granted' else 'access.refused' end,
    v_env.stage, null, p_branch, jsonb_strip_nulls(jsonb_build_object('action', 'backup.restore',
      'branch', p_branch, 'reason', v_reason, 'backup', v_backup, 'request', p_request)));
  return jsonb_build_object('allowed', v_allowed, 'reason', v_reason, 'role', v_actor.role,
    'action', 'backup.restore', 'stage', v_env.stage, 'branch', p_branch,
    'backup', case when v_allowed then v_backup end, 'request', p_request);
end $$;

-- Privileges, explicitly. ops.restore_request_json, security invoker, is called by
-- ops.list_restore_requests with the caller's privileges, as ops.build_key_json is.
revoke execute on function
  ops.restore_request_state(ops.restore_requests), ops.restore_request_states(), ops.audit_restore_request(),
  ops.restore_request_json(ops.restore_requests), ops.request_restore(text, text, text, text),
  ops.list_restore_requests(text, text), ops.reject_restore(uuid, text), ops.approve_restore(uuid),
  ops.request_restore_access(text, text, text, uuid)
from public;
grant execute on function
  ops.restore_request_state(ops.restore_requests), ops.restore_request_states(),
  ops.restore_request_json(ops.restore_requests), ops.request_restore(text, text, text, text),
  ops.list_restore_requests(text, text), ops.reject_restore(uuid, text), ops.approve_restore(uuid),
  ops.request_restore_access(text, text, text, uuid)
to authenticated, service_role;
