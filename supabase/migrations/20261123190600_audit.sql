-- The audit trail. Append-only for everyone, owner included: UPDATE, DELETE and TRUNCATE are refused by
-- a statement trigger (it fires even when no row matches). Every change to a governed table is recorded
-- by a row trigger in the same transaction, so no function can forget it and nothing is lost on rollback.
-- Last of the core migrations, so that every table it audits exists.

-- Append-only (the statement triggers below): every governance change and every access decision.
create table ops.audit_events (
  id bigint generated always as identity primary key,
  project_id uuid not null references ops.projects (id),
  occurred_at timestamptz not null default clock_timestamp(),
  actor uuid,
  actor_login text not null,
  actor_role text not null,
  action text not null,
  stage text check (stage = any (ops.stages())),
  release_id uuid references ops.releases (id),
  subject_id text,
  details jsonb not null default '{}'
);
create index audit_events_project_idx on ops.audit_events (project_id, id desc);
create index audit_events_release_idx on ops.audit_events (release_id, id) where release_id is not null;

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

-- Every governed table, one row trigger each (build keys and restore requests have trigger functions of
-- their own, in their migrations).
create trigger projects_audited after insert or update or delete on ops.projects
  for each row execute function ops.audit_change();
create trigger members_audited after insert or update or delete on ops.members
  for each row execute function ops.audit_change();
create trigger environments_audited after insert or update or delete on ops.environments
  for each row execute function ops.audit_change();
create trigger builds_audited after insert or update or delete on ops.builds
  for each row execute function ops.audit_change();
create trigger releases_audited after insert or update or delete on ops.releases
  for each row execute function ops.audit_change();
create trigger exceptions_audited after insert or update or delete on ops.exceptions
  for each row execute function ops.audit_change();
create trigger release_gates_audited after insert or update or delete on ops.release_gates
  for each row execute function ops.audit_change();
create trigger evidence_audited after insert or update or delete on ops.evidence
  for each row execute function ops.audit_change();
create trigger approvals_audited after insert or update or delete on ops.approvals
  for each row execute function ops.audit_change();
create trigger deployments_audited after insert or update or delete on ops.deployments
  for each row execute function ops.audit_change();
create trigger backups_audited after insert or update or delete on ops.backups
  for each row execute function ops.audit_change();
create trigger restore_drills_audited after insert or update or delete on ops.restore_drills
  for each row execute function ops.audit_change();
create trigger incidents_audited after insert or update or delete on ops.incidents
  for each row execute function ops.audit_change();

-- An audit event about a data record (a backup, a restore drill, a restore request, a restore granted or
-- refused) carries what the record carries — locations, backup names, reasons — so it is read under the
-- record's rule: data personas of its stage and auditors. Every other event: any member (audit.read).
create function ops.audit_read_actions(p_action text, p_details jsonb) returns text[]
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select case
    when split_part(p_action, '.', 1) in ('backup', 'restore_drill', 'restore')
      or (split_part(p_action, '.', 1) = 'access' and p_details ->> 'action' = 'backup.restore')
    then ops.data_record_actions()
    else array['audit.read'] end
$$;

-- The newest p_limit events (of a release, when given), oldest first.
create function ops.audit_log(p_project text, p_release text default null, p_limit integer default 100)
returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'occurredAt', t.occurred_at, 'actor', t.actor_login,
      'actorRole', t.actor_role, 'action', t.action, 'stage', t.stage, 'release', t.release_name,
      'subject', t.subject_id, 'details', t.details) order by t.id), '[]')
  from (
    select a.*, r.name as release_name from ops.audit_events a
    left join ops.releases r on r.id = a.release_id
    where a.project_id = ops.project_id(p_project) and (p_release is null or r.name = p_release)
    order by a.id desc
    limit greatest(1, least(coalesce(p_limit, 100), 10000))
  ) t
$$;

alter table ops.audit_events enable row level security;
create policy "members read their project's audit events; data events as the data" on ops.audit_events
  for select to authenticated using (ops.may_read_stage(project_id, stage, ops.audit_read_actions(action, details)));
create policy "nobody inserts audit events directly; the ops functions do" on ops.audit_events
  for insert to authenticated with check (false);
create policy "nobody updates audit events directly; the ops functions do" on ops.audit_events
  for update to authenticated using (false) with check (false);
create policy "nobody deletes audit events; the record is permanent" on ops.audit_events
  for delete to authenticated using (false);
revoke all on table ops.audit_events from public, anon, authenticated, service_role;
grant select on table ops.audit_events to authenticated, service_role;

-- Privileges, explicitly: PostgreSQL lets PUBLIC execute every new function, so each is revoked from
-- PUBLIC and granted to the API roles that call it.
-- The trigger functions run only as triggers; nobody calls them.
revoke execute on function
  ops.refuse_history_rewrite(), ops.write_audit(uuid, text, text, uuid, text, jsonb), ops.audit_change(),
  ops.audit_read_actions(text, jsonb), ops.audit_log(text, text, integer)
from public;
grant execute on function
  ops.audit_read_actions(text, jsonb), ops.audit_log(text, text, integer)
to authenticated, service_role;
