-- Seeing and refusing production restore requests. ops.list_restore_requests shows a project's requests
-- with a derived state (pending, approved, rejected, consumed, expired) to whoever may read them (the
-- table's read policy: data personas of production and auditors). ops.reject_restore lets a holder of
-- restore.approve say no to a pending request, with a reason; a rejected request can no longer be
-- approved or used. The rejection is audited (restore.rejected) in the same transaction.

alter table ops.restore_requests
  add column rejected_by uuid,
  add column rejected_login text,
  add column rejected_at timestamptz,
  add column reject_reason text check (reject_reason ~ '[^[:space:]]' and length(reject_reason) <= 1000),
  add check ((rejected_at is null) = (rejected_login is null)),
  add check ((rejected_at is null) = (reject_reason is null)),
  -- A request is decided once: approved (and perhaps used) or rejected, never both.
  add check (rejected_at is null or approved_at is null);

-- What a request is now. A decision outlives the expiry: a used or rejected request stays so.
create function ops.restore_request_state(p ops.restore_requests) returns text
language sql stable set search_path = '' as $$
  select case
    when p.consumed_at is not null then 'consumed'
    when p.rejected_at is not null then 'rejected'
    when p.expires_at <= now() then 'expired'
    when p.approved_at is not null then 'approved'
    else 'pending' end
$$;

create function ops.restore_request_states() returns text[]
language sql immutable parallel safe set search_path = '' as $$
  select array['pending', 'approved', 'rejected', 'consumed', 'expired']::text[]
$$;

-- Same signature as before, now with the state and the rejection. Security invoker like
-- ops.build_key_json: called by the security-definer writers it reads as they do; called by
-- ops.list_restore_requests it reads projects and environments through row-level security.
create or replace function ops.restore_request_json(p ops.restore_requests) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('id', p.id, 'project', pr.name, 'branch', e.branch, 'stage', e.stage,
    'backup', p.backup, 'reason', p.reason, 'requestedBy', p.requested_login, 'requestedAt', p.requested_at,
    'expiresAt', p.expires_at, 'approvedBy', p.approved_login, 'approvedAt', p.approved_at,
    'consumedBy', p.consumed_login, 'consumedAt', p.consumed_at,
    'rejectedBy', p.rejected_login, 'rejectedAt', p.rejected_at, 'rejectReason', p.reject_reason,
    'state', ops.restore_request_state(p))
  from ops.projects pr, ops.environments e
  where pr.id = p.project_id and e.id = p.environment_id
$$;

-- As in *_restore_requests.sql, plus `restore.rejected` and who rejected it why.
create or replace function ops.audit_restore_request() returns trigger
language plpgsql security definer set search_path = '' as $$
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

-- Security invoker, like the other reads: row-level security decides which requests a caller sees.
create function ops.list_restore_requests(p_project text, p_state text default null) returns jsonb
language plpgsql stable set search_path = '' as $$
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
language plpgsql volatile security definer set search_path = '' as $$
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

-- Copied from *_restore_requests.sql; new: a rejected request is refused with its own message.
create or replace function ops.approve_restore(p_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
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

-- Copied from *_restore_requests.sql; new: a rejected request is refused with its own reason (it was
-- refused before too, as not approved).
create or replace function ops.request_restore_access(
  p_project text, p_branch text, p_backup text default null, p_request uuid default null
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_env ops.environments := ops.live_environment(p_project, p_branch);
  v_actor ops.actor := ops.current_actor(v_env.project_id);
  v_allowed boolean;
  v_reason text;
  v_request ops.restore_requests;
  v_backup text := p_backup;
begin
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

-- Privileges, explicitly, as in the *_grants migration. ops.restore_request_json, now security invoker,
-- is called by ops.list_restore_requests with the caller's privileges, as ops.build_key_json is.
revoke execute on function
  ops.restore_request_state(ops.restore_requests), ops.restore_request_states(),
  ops.restore_request_json(ops.restore_requests), ops.list_restore_requests(text, text),
  ops.reject_restore(uuid, text)
from public;
grant execute on function
  ops.restore_request_state(ops.restore_requests), ops.restore_request_states(),
  ops.restore_request_json(ops.restore_requests)
to authenticated, service_role;
grant execute on function ops.list_restore_requests(text, text), ops.reject_restore(uuid, text)
to authenticated, service_role;
