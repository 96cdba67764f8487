-- G1 is CI's word, and a record says what has happened.
--
-- 1. G1 passes on the evidence CI recorded with the build (ops.store_build writes build_log, and
--    checks_status only when the project's required checks passed). Evidence a person attaches to G1 is
--    kept, but it is not the build's: a developer could otherwise attach "checks_status" to a build whose CI
--    failed and sign G1 of it, with neither an exception nor a second person.
-- 2. Builds, backups and restore drills cannot be dated in the future (beyond a few minutes of clock skew):
--    a build dated 9999 stayed the newest of its environment for ever, whatever was recorded after it, and a
--    drill dated a year ahead would count as this month's.
-- 3. An agent key records backups and restore drills: only someone who may do both in its stage makes one
--    (an SRE). A production release manager, who may not drill, could otherwise mint a key that does.

create or replace function ops.present_evidence(p_release ops.releases, p_gate text) returns text[]
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(distinct v.kind order by v.kind), '{}')
  from ops.evidence v
  where v.gate = p_gate
    and (v.release_id = p_release.id or v.build_id = p_release.build_id)
    and (p_gate <> 'G1' or v.build_id = p_release.build_id)
    and (p_gate <> 'G4' or v.attached_at >= ops.last_production_deployment(p_release.id))
$$;

-- The columns named as the trigger's arguments may not be later than now plus five minutes of clock skew.
create function ops.refuse_future_times() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_column text;
  v_at timestamptz;
begin
  foreach v_column in array tg_argv loop
    v_at := (pg_catalog.to_jsonb(new) ->> v_column)::timestamptz;
    if v_at > pg_catalog.clock_timestamp() + interval '5 minutes' then
      raise exception using errcode = '22023',
        message = format('%s of %s is %s, in the future: a record says what has happened', v_column,
          pg_catalog.rtrim(tg_table_name, 's'), v_at),
        hint = 'record it once it has happened, with the time it happened';
    end if;
  end loop;
  return new;
end $$;

create trigger builds_not_in_future before insert or update of built_at on ops.builds
  for each row execute function ops.refuse_future_times('built_at');
create trigger backups_not_in_future before insert or update of started_at, finished_at on ops.backups
  for each row execute function ops.refuse_future_times('started_at', 'finished_at');
create trigger restore_drills_not_in_future before insert or update of drilled_at on ops.restore_drills
  for each row execute function ops.refuse_future_times('drilled_at');

revoke execute on function ops.refuse_future_times() from public;

create or replace function ops.create_build_key(
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
  -- The right is needed in every stage the key opens, as for an exception covering several gates. An agent
  -- key records backups and restore drills: its maker must be someone who may do both there, so that no
  -- key hands out a right its maker does not have.
  foreach v_stage in array v_stages loop
    if p_purpose = 'agent' then
      v_actor := ops.require_right(v_project, 'backup.run', v_stage);
      v_actor := ops.require_right(v_project, 'restore.drill', v_stage);
    else
      v_actor := ops.require_right(v_project, 'build_key.create', v_stage);
    end if;
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

create or replace function ops.agent_key_scope(p_key text, p_project text) returns ops.build_keys
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
      hint = 'an SRE creates one per project and stage (odooops build-key create <project> --stage <stage> --agent)';
  end if;
  return v;
end $$;
