-- Gate exceptions (seed 001 FR-6). Rights are checked in the stage of every gate the exception covers,
-- so waiving G3 needs a production approver even when it also covers G1. The release row is locked
-- before the exception row, in the same order as ops.sign_gate, so the two never deadlock.

-- Seed 001 FR-6: type, rationale, accountable approver, risk, expiry, impacted gates, review requirement.
create table ops.exceptions (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  release_id uuid not null references ops.releases (id),
  type text not null check (type ~ '^[a-z][a-z0-9_]{2,40}$'),
  rationale text not null check (length(btrim(rationale)) >= 10),
  risk text not null check (length(btrim(risk)) >= 10),
  gates text[] not null check (cardinality(gates) between 1 and 4 and gates <@ ops.gate_ids()),
  expires_at timestamptz not null,
  review_required boolean not null,
  status text not null default 'requested' check (status = any (ops.exception_statuses())),
  requested_by uuid not null,
  requested_login text not null,
  requested_at timestamptz not null default clock_timestamp(),
  decided_by uuid,
  decided_login text,
  decided_at timestamptz,
  check (expires_at > requested_at),
  check (status = 'requested' or (decided_by is not null and decided_at is not null)),
  -- The approver is never the requester (FR-6), whatever writes the row.
  check (decided_by is null or decided_by <> requested_by)
);
create index exceptions_release_idx on ops.exceptions (release_id);

-- A gate signed under an exception, and the decision on an exception, name it.
alter table ops.release_gates
  add constraint release_gates_exception_id_fkey foreign key (exception_id) references ops.exceptions (id);
alter table ops.approvals
  add constraint approvals_exception_id_fkey foreign key (exception_id) references ops.exceptions (id);

-- isExceptionActive: approved, by someone other than the requester, not expired (seed 001 FR-6).
create function ops.exception_is_active(p_exception ops.exceptions) returns boolean
language sql stable set search_path = pg_catalog, pg_temp as $$
  select p_exception.status = 'approved'
    and p_exception.decided_by is not null
    and p_exception.decided_by <> p_exception.requested_by
    and p_exception.expires_at > now()
$$;

create function ops.active_exception(p_release uuid, p_gate text) returns uuid
language sql stable set search_path = pg_catalog, pg_temp as $$
  select e.id from ops.exceptions e
  where e.release_id = p_release and p_gate = any (e.gates) and ops.exception_is_active(e)
  order by e.expires_at desc
  limit 1
$$;

create function ops.exception_json(p ops.exceptions) returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select jsonb_build_object('id', p.id, 'type', p.type, 'rationale', p.rationale, 'risk', p.risk,
    'gates', to_jsonb(p.gates), 'expiresAt', p.expires_at, 'reviewRequired', p.review_required,
    'status', p.status, 'requestedBy', p.requested_login, 'requestedAt', p.requested_at,
    'approver', case when p.status in ('approved', 'revoked') then p.decided_login end,
    'decidedBy', p.decided_login, 'decidedAt', p.decided_at, 'active', ops.exception_is_active(p))
$$;

-- The distinct stages of the gates an exception covers, for the release's build.
create function ops.exception_stages(p_release ops.releases, p_gates text[]) returns text[]
language sql stable set search_path = pg_catalog, pg_temp as $$
  select array_agg(distinct ops.gate_stage(g.gate, ops.build_stage(p_release.build_id)))
  from unnest(p_gates) as g(gate)
$$;

create function ops.request_exception(
  p_project text, p_release text, p_type text, p_rationale text, p_risk text,
  p_gates text[], p_expires_at timestamptz, p_review_required boolean
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_release ops.releases := ops.lock_release(ops.project_id(p_project), p_release);
  v_actor ops.actor;
  v_stage text;
  v_gate text;
  v ops.exceptions;
begin
  if coalesce(cardinality(p_gates), 0) = 0 then
    raise exception using errcode = '22023', message = 'an exception names the gates it covers',
      hint = 'e.g. --gates G2 or --gates G2,G3';
  end if;
  foreach v_gate in array p_gates loop
    perform ops.require_gate(v_gate);
  end loop;
  foreach v_stage in array ops.exception_stages(v_release, p_gates) loop
    v_actor := ops.require_right(v_release.project_id, 'exception.request', v_stage);
  end loop;
  if v_actor.user_id is null then
    raise exception using errcode = '42501', message = 'an exception is requested by an accountable person, not by automation';
  end if;
  if p_expires_at is null or p_expires_at <= now() then
    raise exception using errcode = '22023', message = 'an exception needs an expiry in the future',
      hint = 'exceptions never authorize anything after they expire (seed 001 FR-6)';
  end if;
  if p_expires_at > now() + ops.exception_max_lifetime() then
    raise exception using errcode = '22023',
      message = format('an exception expires within %s of its request', ops.exception_max_lifetime()),
      hint = 'request a new exception when this one runs out, if the reason still holds';
  end if;
  if p_review_required is null then
    raise exception using errcode = '22023', message = 'say whether a post-event review is required';
  end if;
  if length(btrim(coalesce(p_rationale, ''))) < 10 or length(btrim(coalesce(p_risk, ''))) < 10 then
    raise exception using errcode = '22023', message = 'an exception needs a rationale and a risk statement (10 characters or more each)';
  end if;
  perform ops.require_text(p_rationale, 'a rationale', 2000);
  perform ops.require_text(p_risk, 'a risk statement', 2000);
  if coalesce(p_type, '') !~ '^[a-z][a-z0-9_]{2,40}$' then
    raise exception using errcode = '22023', message = format('exception type %s is not a short snake_case word', coalesce(p_type, '(none)')),
      hint = 'e.g. missing_evidence, emergency_fix, tooling_outage';
  end if;
  insert into ops.exceptions (project_id, release_id, type, rationale, risk, gates, expires_at, review_required,
    requested_by, requested_login)
  values (v_release.project_id, v_release.id, p_type, btrim(p_rationale), btrim(p_risk),
    array(select distinct g from unnest(p_gates) g order by g), p_expires_at, p_review_required,
    v_actor.user_id, v_actor.login)
  returning * into v;
  return ops.exception_json(v) || jsonb_build_object('release', p_release, 'project', p_project);
end $$;

create function ops.decide_exception(p_id uuid, p_decision text, p_comment text) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.exceptions;
  v_release ops.releases;
  v_actor ops.actor;
  v_stage text;
begin
  select * into v_release from ops.releases r
  where r.id = (select e.release_id from ops.exceptions e where e.id = p_id) for update;
  select * into v from ops.exceptions e where e.id = p_id for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no exception %s', coalesce(p_id::text, '(none)'));
  end if;
  foreach v_stage in array ops.exception_stages(v_release, v.gates) loop
    v_actor := ops.require_right(v.project_id, 'exception.approve', v_stage);
  end loop;
  perform ops.require_text(p_comment, 'a decision comment', 1000, false);
  if v.status <> 'requested' then
    raise exception using errcode = 'OD004', message = format('exception %s is already %s', p_id, v.status);
  end if;
  if v_actor.user_id is null or v_actor.user_id = v.requested_by then
    raise exception using errcode = 'OD003',
      message = format('%s requested exception %s and so cannot decide it', v_actor.login, p_id),
      hint = 'the approver is never the requester: another member with the right decides';
  end if;
  if v.expires_at <= now() then
    raise exception using errcode = 'OD005', message = format('exception %s expired at %s', p_id, v.expires_at),
      hint = 'request a new exception with a future expiry';
  end if;
  update ops.exceptions e set status = p_decision, decided_by = v_actor.user_id, decided_login = v_actor.login,
    decided_at = clock_timestamp()
  where e.id = p_id returning * into v;
  insert into ops.approvals (project_id, release_id, exception_id, decision, approver, approver_login, comment)
  values (v.project_id, v.release_id, v.id, p_decision, v_actor.user_id, v_actor.login, p_comment);
  return ops.exception_json(v) || jsonb_build_object('release', v_release.name);
end $$;

create function ops.approve_exception(p_id uuid, p_comment text default null) returns jsonb
language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
  select ops.decide_exception(p_id, 'approved', p_comment)
$$;

create function ops.reject_exception(p_id uuid, p_comment text default null) returns jsonb
language sql volatile security definer set search_path = pg_catalog, pg_temp as $$
  select ops.decide_exception(p_id, 'rejected', p_comment)
$$;

alter table ops.exceptions enable row level security;
create policy "members read their project's exceptions" on ops.exceptions for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts exceptions directly; the ops functions do" on ops.exceptions
  for insert to authenticated with check (false);
create policy "nobody updates exceptions directly; the ops functions do" on ops.exceptions
  for update to authenticated using (false) with check (false);
create policy "nobody deletes exceptions; the record is permanent" on ops.exceptions
  for delete to authenticated using (false);
revoke all on table ops.exceptions from public, anon, authenticated, service_role;
grant select on table ops.exceptions to authenticated, service_role;

-- Privileges, explicitly: PostgreSQL lets PUBLIC execute every new function, so each is revoked from
-- PUBLIC and granted to the API roles that call it.
revoke execute on function
  ops.exception_is_active(ops.exceptions), ops.active_exception(uuid, text),
  ops.exception_json(ops.exceptions), ops.exception_stages(ops.releases, text[]),
  ops.request_exception(text, text, text, text, text, text[], timestamp with time zone, boolean),
  ops.decide_exception(uuid, text, text), ops.approve_exception(uuid, text), ops.reject_exception(uuid, text)
from public;
grant execute on function
  ops.exception_is_active(ops.exceptions), ops.active_exception(uuid, text),
  ops.exception_json(ops.exceptions),
  ops.request_exception(text, text, text, text, text, text[], timestamp with time zone, boolean),
  ops.approve_exception(uuid, text), ops.reject_exception(uuid, text)
to authenticated, service_role;
