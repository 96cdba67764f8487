-- Production restores need a second person. An SRE requests the restore of one named backup with a
-- reason; a release manager other than the requester approves it (decision right restore.approve) or
-- rejects it with a reason; an approval authorizes one restore of that backup until the request expires,
-- two hours after it was made. ops.request_restore_access consumes it when it grants the restore, in the
-- transaction that audits the grant; ops.request_access (*_operations_functions) hands backup.restore to
-- it, so there is no way around the request. ops.list_restore_requests shows a project's requests with a derived state
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

-- Privileges, explicitly, as in the *_grants migration. ops.restore_request_json, security invoker, is
-- called by ops.list_restore_requests with the caller's privileges, as ops.build_key_json is.
revoke execute on function
  ops.audit_restore_request(), ops.restore_request_state(ops.restore_requests),
  ops.restore_request_states(), ops.restore_request_json(ops.restore_requests),
  ops.request_restore(text, text, text, text), ops.approve_restore(uuid), ops.reject_restore(uuid, text),
  ops.request_restore_access(text, text, text, uuid), ops.list_restore_requests(text, text)
from public;
grant execute on function
  ops.restore_request_state(ops.restore_requests), ops.restore_request_states(),
  ops.restore_request_json(ops.restore_requests),
  ops.request_restore(text, text, text, text), ops.approve_restore(uuid), ops.reject_restore(uuid, text),
  ops.request_restore_access(text, text, text, uuid), ops.list_restore_requests(text, text)
to authenticated, service_role;
