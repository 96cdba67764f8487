-- Row-level security on every table, one policy per command. Members of a project read its rows;
-- backups and restore drills only personas with a data right in that stage (and auditors); nobody
-- writes directly: writes go through the ops functions, which check decision rights and gate rules.
-- The service role (CI, agents) bypasses RLS for reads, as on every Supabase project, and has no write
-- privilege on any table. The policies below stay in force even if a grant is added by mistake.

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

do $$
declare
  v_table text;
  v_label text;
  v_read text;
begin
  foreach v_table in array array['projects', 'members', 'environments', 'builds', 'releases', 'exceptions',
    'release_gates', 'evidence', 'approvals', 'deployments', 'backups', 'restore_drills', 'audit_events'] loop
    v_label := replace(v_table, '_', ' ');
    v_read := case v_table
      when 'projects' then 'ops.member_role(id) is not null'
      when 'backups' then
        'ops.may_read_stage(project_id, ops.environment_stage(environment_id), ops.data_record_actions())'
      when 'restore_drills' then
        'ops.may_read_stage(project_id, ops.environment_stage(environment_id), ops.data_record_actions())'
      when 'audit_events' then 'ops.may_read_stage(project_id, stage, ops.audit_read_actions(action, details))'
      else 'ops.member_role(project_id) is not null' end;

    execute format('alter table ops.%I enable row level security', v_table);
    execute format('create policy %I on ops.%I for select to authenticated using (%s)',
      case v_table
        when 'projects' then 'members read their projects'
        when 'backups' then 'data personas and auditors read their project''s backups'
        when 'restore_drills' then 'data personas and auditors read their project''s restore drills'
        when 'audit_events' then 'members read their project''s audit events; data events as the data'
        else format('members read their project''s %s', v_label) end,
      v_table, v_read);
    execute format('create policy %I on ops.%I for insert to authenticated with check (false)',
      format('nobody inserts %s directly; the ops functions do', v_label), v_table);
    execute format('create policy %I on ops.%I for update to authenticated using (false) with check (false)',
      format('nobody updates %s directly; the ops functions do', v_label), v_table);
    execute format('create policy %I on ops.%I for delete to authenticated using (false)',
      format('nobody deletes %s; the record is permanent', v_label), v_table);
  end loop;
end $$;
