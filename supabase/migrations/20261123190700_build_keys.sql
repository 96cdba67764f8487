-- Build keys: what an app repository's CI records its builds with, instead of the service-role key. A
-- key belongs to one project and the stages it may record builds in; the app repo calls
-- ops.record_build_with_key with Supabase's public anon key and the build key, so a workflow change pushed
-- on a feature branch can at most record builds of its own project in the key's stages — never sign a
-- gate, approve an exception or rewrite evidence. The database keeps only the key's SHA-256: the
-- plaintext is returned once, by ops.create_build_key, and lives on as a GitHub environment secret.

create table ops.build_keys (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  stages text[] not null check (cardinality(stages) between 1 and 3 and stages <@ ops.stages()),
  label text check (label is null or label ~ '^[[:print:]]{1,100}$'),
  -- build: an app repository's CI records builds; agent: a host's data agent records its backups and
  -- drills (agent keys, below), in one stage only.
  purpose text not null default 'build' check (purpose in ('build', 'agent')),
  -- sha256 of the whole key, hex; unique, so it is also the lookup index of ops.record_build_with_key.
  key_hash text not null unique check (key_hash ~ '^[a-f0-9]{64}$'),
  created_by uuid not null,
  created_login text not null,
  created_at timestamptz not null default clock_timestamp(),
  revoked_by uuid,
  revoked_login text,
  revoked_at timestamptz,
  check ((revoked_at is null) = (revoked_login is null)),
  check (purpose = 'build' or cardinality(stages) = 1)
);
create index build_keys_project_idx on ops.build_keys (project_id, created_at);

-- Audited like every governed table, in the same transaction, but without the hash: the trail says who
-- created or revoked which key for which stages, nothing a key could be checked against.
create function ops.audit_build_key() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.build_keys := coalesce(new, old);
begin
  perform ops.write_audit(v.project_id,
    v.purpose || '_key.' || case
      when tg_op = 'INSERT' then 'created'
      when tg_op = 'DELETE' then 'removed'
      when new.revoked_at is not null and old.revoked_at is null then 'revoked'
      else 'changed' end,
    case when cardinality(v.stages) = 1 then v.stages[1] end,
    null,
    v.id::text,
    jsonb_strip_nulls(jsonb_build_object('stages', to_jsonb(v.stages), 'label', v.label,
      'createdBy', v.created_login, 'revokedBy', v.revoked_login)));
  return null;
end $$;

create trigger build_keys_audited after insert or update or delete on ops.build_keys
  for each row execute function ops.audit_build_key();

-- Row-level security as on every other table: members (auditors included) read their project's keys —
-- id, stages, label, who and when; the hash of a 256-bit random key tells them nothing — and nobody
-- writes directly.
alter table ops.build_keys enable row level security;
create policy "members read their project's build keys" on ops.build_keys
  for select to authenticated using (ops.member_role(project_id) is not null);
create policy "nobody inserts build keys directly; the ops functions do" on ops.build_keys
  for insert to authenticated with check (false);
create policy "nobody updates build keys directly; the ops functions do" on ops.build_keys
  for update to authenticated using (false) with check (false);
create policy "nobody deletes build keys; the record is permanent" on ops.build_keys
  for delete to authenticated using (false);

revoke all on table ops.build_keys from public, anon, authenticated, service_role;
grant select on table ops.build_keys to authenticated, service_role;

create function ops.build_key_hash(p_key text) returns text
language sql immutable parallel safe set search_path = pg_catalog, pg_temp as $$
  select encode(sha256(convert_to(p_key, 'UTF8')), 'hex')
$$;

create function ops.build_key_json(p ops.build_keys) returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select jsonb_build_object('id', p.id, 'purpose', p.purpose, 'stages', to_jsonb(p.stages), 'label', p.label,
    'createdBy', p.created_login, 'createdAt', p.created_at, 'revokedBy', p.revoked_login,
    'revokedAt', p.revoked_at, 'active', p.revoked_at is null)
$$;

-- The one place a key exists in plaintext: `odooops_bk_` + 32 random bytes, base64url (43 characters).
create function ops.create_build_key(
  p_project text, p_stages text[], p_label text default null, p_purpose text default 'build'
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_project uuid := ops.project_id(p_project);
  v_stages text[];
  v_stage text;
  v_actor ops.actor;
  v_key text;
  v ops.build_keys;
begin
  if p_purpose is null or p_purpose not in ('build', 'agent') then
    raise exception using errcode = '22023', message = 'a key is for builds (build) or a data agent (agent)';
  end if;
  if p_purpose = 'agent' and cardinality(p_stages) <> 1 then
    raise exception using errcode = '22023', message = 'an agent key is for one stage',
      hint = 'each stage''s hosts get their own key: a staging host never holds production''s';
  end if;
  if coalesce(cardinality(p_stages), 0) = 0 then
    raise exception using errcode = '22023', message = 'a build key names the stages it records builds in',
      hint = 'e.g. --stage development; one key per stage keeps a development credential out of staging';
  end if;
  foreach v_stage in array p_stages loop
    if v_stage is null or not (v_stage = any (ops.stages())) then
      raise exception using errcode = '22023', message = format('unknown stage %s', coalesce(v_stage, '(none)')),
        hint = format('one of %s', array_to_string(ops.stages(), ', '));
    end if;
  end loop;
  v_stages := array(select s.stage from unnest(ops.stages()) with ordinality as s(stage, ord)
    where s.stage = any (p_stages) order by s.ord);
  -- The right is needed in every stage the key opens, as for an exception covering several gates.
  foreach v_stage in array v_stages loop
    v_actor := ops.require_right(v_project, 'build_key.create', v_stage);
  end loop;
  if p_label is not null and p_label !~ '^[[:print:]]{1,100}$' then
    raise exception using errcode = '22023', message = 'a build key label is 1 to 100 printable characters',
      hint = 'e.g. the app repository and the environment it is stored in';
  end if;
  v_key := case p_purpose when 'agent' then 'odooops_ak_' else 'odooops_bk_' end || rtrim(translate(encode(extensions.gen_random_bytes(32), 'base64'), '+/', '-_'), '=');
  insert into ops.build_keys (project_id, stages, label, purpose, key_hash, created_by, created_login)
  values (v_project, v_stages, p_label, p_purpose, ops.build_key_hash(v_key), v_actor.user_id, v_actor.login)
  returning * into v;
  return ops.build_key_json(v) || jsonb_build_object('project', p_project, 'key', v_key);
end $$;

create function ops.revoke_build_key(p_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.build_keys;
  v_actor ops.actor;
  v_stage text;
begin
  select * into v from ops.build_keys k where k.id = p_id for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no build key %s', coalesce(p_id::text, '(none)')),
      hint = 'odooops build-key list <project> shows the keys of a project';
  end if;
  foreach v_stage in array v.stages loop
    v_actor := ops.require_right(v.project_id, 'build_key.revoke', v_stage);
  end loop;
  if v.revoked_at is not null then
    raise exception using errcode = 'OD004',
      message = format('build key %s was already revoked by %s', v.id, v.revoked_login);
  end if;
  update ops.build_keys k set revoked_at = clock_timestamp(), revoked_by = v_actor.user_id,
    revoked_login = v_actor.login
  where k.id = v.id
  returning * into v;
  return ops.build_key_json(v)
    || jsonb_build_object('project', (select p.name from ops.projects p where p.id = v.project_id));
end $$;

-- Security invoker, like the other reads: row-level security decides which keys a caller sees.
create function ops.list_build_keys(p_project text) returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(jsonb_agg(ops.build_key_json(k) || jsonb_build_object('project', p_project)
    order by k.created_at, k.id), '[]')
  from ops.build_keys k
  where k.project_id = ops.project_id(p_project)
$$;

-- What the app repository's CI calls with the anon key. One refusal for an unknown, revoked or foreign
-- key, so that neither a key nor a project name can be probed; a valid key of the project learns the
-- stages it is for.
create function ops.record_build_with_key(
  p_key text, p_project text, p_branch text, p_stage text, p_build text, p_image text, p_commit text,
  p_checks jsonb default '{}', p_built_at timestamptz default now(),
  p_author_login text default null, p_log_uri text default null
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_key ops.build_keys;
  v_project ops.projects;
  v_result jsonb;
begin
  select * into v_key from ops.build_keys k
  where k.key_hash = ops.build_key_hash(p_key) and k.revoked_at is null and k.purpose = 'build';
  if found then
    select * into v_project from ops.projects p where p.id = v_key.project_id;
  end if;
  if v_project.name is null or v_project.name is distinct from p_project then
    raise exception using errcode = '42501',
      message = format('this build key does not record builds of %s: it is unknown, revoked or another project''s',
        coalesce(p_project, '(no project)')),
      hint = 'a release manager creates one per project and stage (odooops build-key create <project> --stage <stage>); '
        || 'the platform stores it as the app repository''s ODOOOPS_BUILD_KEY';
  end if;
  if p_stage is null or not (p_stage = any (v_key.stages)) then
    raise exception using errcode = '42501',
      message = format('this build key of %s records %s builds only, not %s', p_project,
        array_to_string(v_key.stages, ', '), coalesce(p_stage, '(no stage)')),
      hint = 'each GitHub environment of the app repository holds the key of its own stage';
  end if;
  perform set_config('odooops.key_actor', 'build-key:' || v_key.id, true);
  v_result := ops.store_build(v_project, p_branch, p_stage, p_build, p_image, p_commit, p_checks, p_built_at,
    p_author_login, p_log_uri, 'build-key:' || v_key.id);
  perform set_config('odooops.key_actor', '', true);
  return v_result || jsonb_build_object('recordedWith', v_key.id);
end $$;

-- Privileges, explicitly: anon gets exactly ops.record_build_with_key, authenticated and the service
-- role the key management.
revoke execute on function
  ops.audit_build_key(), ops.build_key_hash(text), ops.build_key_json(ops.build_keys),
  ops.create_build_key(text, text[], text, text), ops.revoke_build_key(uuid), ops.list_build_keys(text),
  ops.record_build_with_key(text, text, text, text, text, text, text, jsonb, timestamp with time zone, text, text)
from public;
grant execute on function
  ops.build_key_json(ops.build_keys), ops.create_build_key(text, text[], text, text),
  ops.revoke_build_key(uuid), ops.list_build_keys(text)
to authenticated, service_role;
grant execute on function
  ops.record_build_with_key(text, text, text, text, text, text, text, jsonb, timestamp with time zone, text, text)
to anon;

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

-- Privileges, explicitly: anon gets the three calls, nothing else.
revoke execute on function
  ops.agent_key_scope(text, text), ops.agent_key_actor(ops.build_keys, text, text),
  ops.record_backup_with_key(text, text, text, text, text, text, timestamp with time zone, timestamp with time zone, bigint, text, jsonb),
  ops.find_backup_with_key(text, text, text),
  ops.record_restore_drill_with_key(text, text, uuid, text, jsonb, text, timestamp with time zone, numeric)
from public;
grant execute on function
  ops.record_backup_with_key(text, text, text, text, text, text, timestamp with time zone, timestamp with time zone, bigint, text, jsonb),
  ops.find_backup_with_key(text, text, text),
  ops.record_restore_drill_with_key(text, text, uuid, text, jsonb, text, timestamp with time zone, numeric)
to anon;
