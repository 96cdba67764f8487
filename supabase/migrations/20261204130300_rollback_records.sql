-- `odooops rollback` records what was rolled back, by whom and why (seed 001 FR-5): the production image
-- it leaves and the one it restores, the reason, and the environment's newest incident when there is
-- one. Release managers and SREs (decision right release.rollback); the audit trail is the record.
create function ops.record_rollback(p_project text, p_from_image text, p_to_image text, p_reason text)
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_project uuid;
  v_actor ops.actor;
  v_env ops.environments;
  v_incident uuid;
  v_details jsonb;
begin
  perform ops.require_member(p_project);
  v_project := ops.project_id(p_project);
  v_actor := ops.require_right(v_project, 'release.rollback', 'production');
  if v_actor.role = 'service_role' then
    raise exception using errcode = '42501', message = 'a rollback is a person''s decision; the service role may not record one';
  end if;
  if p_reason is null or pg_catalog.length(pg_catalog.btrim(p_reason)) not between 10 and 1000 then
    raise exception using errcode = '22023', message = 'a rollback gives its reason in 10 to 1000 characters';
  end if;
  if coalesce(p_from_image, '') !~ '^[a-z0-9][a-z0-9._:/-]{0,250}@sha256:[a-f0-9]{64}$'
      or coalesce(p_to_image, '') !~ '^[a-z0-9][a-z0-9._:/-]{0,250}@sha256:[a-f0-9]{64}$' then
    raise exception using errcode = '22023', message = 'both images must be pinned by digest (…@sha256:<64 hex>)';
  end if;
  select e.* into v_env from ops.environments e where e.project_id = v_project and e.stage = 'production'
   order by e.opened_at limit 1;
  select i.id into v_incident from ops.incidents i where i.environment_id = v_env.id order by i.opened_at desc limit 1;
  v_details := pg_catalog.jsonb_build_object('from', p_from_image, 'to', p_to_image, 'reason', p_reason,
    'incident', v_incident, 'branch', v_env.branch);
  perform ops.write_audit(v_project, 'rollback.prepared', 'production', null, p_to_image, v_details);
  return v_details || pg_catalog.jsonb_build_object('project', p_project, 'by', v_actor.login);
end $$;

revoke execute on function ops.record_rollback(text, text, text, text) from public;
grant execute on function ops.record_rollback(text, text, text, text) to authenticated;
