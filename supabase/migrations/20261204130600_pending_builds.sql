-- The platform pulls new builds instead of app repositories pushing a reconcile: a scheduled deploy run
-- asks which live staging and development environments have a newest build that no deployment has put in
-- place yet, and runs `pulumi up` on staging only then. App repositories then hold no credential that
-- reaches the platform repository at all (the dispatch token is gone). Service role only.
create function ops.pending_builds() returns jsonb
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  perform ops.require_service('list builds waiting for a deployment');
  return coalesce((
    select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('project', p.name, 'branch', e.branch,
        'stage', e.stage, 'build', newest.name) order by p.name, e.branch)
      from ops.environments e
      join ops.projects p on p.id = e.project_id
      cross join lateral (select b.id, b.name from ops.builds b where b.environment_id = e.id
                           order by b.built_at desc, b.recorded_at desc limit 1) newest
     where e.status = 'live' and e.stage <> 'production'
       and newest.id is distinct from (select d.build_id from ops.deployments d where d.environment_id = e.id
                                        order by d.deployed_at desc limit 1)), '[]'::jsonb);
end $$;

revoke execute on function ops.pending_builds() from public;
grant execute on function ops.pending_builds() to service_role;
