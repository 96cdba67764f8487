-- G1 is CI's word, and a record says what has happened.
--
-- 1. G1 passes on the evidence CI recorded with the build (ops.store_build writes build_log, and
--    checks_status only when the project's required checks passed). Evidence a person attaches to G1 is
--    kept, but it is not the build's: a developer could otherwise attach "checks_status" to a build whose CI
--    failed and sign G1 of it, with neither an exception nor a second person.
-- 2. Builds, backups and restore drills cannot be dated in the future (beyond a few minutes of clock skew):
--    a build dated 9999 stayed the newest of its environment for ever, whatever was recorded after it, and a
--    drill dated a year ahead would count as this month's.

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
