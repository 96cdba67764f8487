-- The data agent knows a backup by where it stored it; a restore drill (ops.record_restore_drill) names
-- the control plane's record of that backup. Security invoker, like the other read functions: the lookup
-- reads through the caller's row-level security, so whoever may not see a stage's backups cannot find
-- them either. The newest record wins when one location was recorded more than once.

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

-- PostgreSQL lets PUBLIC execute a new function: the same explicit grants as 20261123191200_grants.sql.
revoke execute on function ops.find_backup(text, text) from public;
grant execute on function ops.find_backup(text, text) to authenticated, service_role;
