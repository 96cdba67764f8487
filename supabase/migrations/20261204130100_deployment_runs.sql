-- Deployments as the deploy workflow sees them: after `pulumi up`, each environment's running image, the
-- platform commit and the workflow run that put it there. The build (and in production the release) is
-- found from the image digest, so the workflow needs nothing but what the stack deployed. A run that
-- changed nothing records nothing. A failed post-deploy health check opens an incident linked to the
-- deployment it checked (seed 001 FR-5).

alter table ops.deployments
  add column image text check (image ~ '^[a-z0-9][a-z0-9._:/-]{0,250}@sha256:[a-f0-9]{64}$'),
  add column commit_sha text check (commit_sha ~ '^[0-9a-f]{7,40}$'),
  add column run_url text check (length(run_url) <= 500 and run_url ~ '^https://[^[:space:]]+$');

-- Non-members are refused before anything else is looked up: not even whether a branch exists leaks.
create function ops.require_member(p_project text) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if (ops.current_actor(ops.project_id(p_project))).role is null then
    raise exception using errcode = '42501', message = pg_catalog.format('you are not a member of project %s', p_project),
      hint = 'a platform admin adds you under personas in projects/<name>.yaml';
  end if;
end $$;

create function ops.record_deployment_run(
  p_project text, p_branch text, p_image text, p_commit text, p_run_url text
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments;
  v_actor ops.actor;
  v_build ops.builds;
  v_release ops.releases;
  v_last ops.deployments;
  v_result jsonb;
begin
  perform ops.require_member(p_project);
  v_env := ops.live_environment(p_project, p_branch);
  v_actor := ops.require_right(v_env.project_id, 'deploy', v_env.stage);
  if p_image is null or p_image !~ '^[a-z0-9][a-z0-9._:/-]{0,250}@sha256:[a-f0-9]{64}$' then
    raise exception using errcode = '22023', message = 'the image must be pinned by digest (…@sha256:<64 hex>)';
  end if;
  if p_commit is null or p_commit !~ '^[0-9a-f]{7,40}$' then
    raise exception using errcode = '22023', message = 'the commit must be a Git commit id (7 to 40 hex digits)';
  end if;
  if p_run_url is null or pg_catalog.length(p_run_url) > 500 or p_run_url !~ '^https://[^[:space:]]+$' then
    raise exception using errcode = '22023', message = 'the run URL must be an https:// URL of at most 500 characters';
  end if;
  -- Production runs the build of a release approved for promotion; elsewhere the branch's newest build.
  if v_env.stage = 'production' then
    select r.* into v_release from ops.releases r join ops.builds b on b.id = r.build_id
     where r.project_id = v_env.project_id and b.image = p_image and r.status in ('approved', 'deployed', 'closed')
     order by r.created_at desc limit 1;
    select b.* into v_build from ops.builds b where b.id = v_release.build_id;
  else
    select b.* into v_build from ops.builds b
     where b.environment_id = v_env.id and b.image = p_image order by b.built_at desc limit 1;
  end if;
  if v_build.id is null then
    raise exception using errcode = 'P0002',
      message = pg_catalog.format('no %s of %s %s runs image %s', case when v_env.stage = 'production'
        then 'approved release' else 'recorded build' end, p_project, p_branch, p_image),
      hint = case when v_env.stage = 'production'
        then 'promote with: odooops release approve, then pin the release''s image in projects/<name>.yaml'
        else 'the app repository''s CI records each build before the platform deploys it' end;
  end if;
  select d.* into v_last from ops.deployments d where d.environment_id = v_env.id
   order by d.deployed_at desc, d.id limit 1;
  if v_last.build_id = v_build.id then
    return pg_catalog.jsonb_build_object('project', p_project, 'branch', p_branch, 'stage', v_env.stage,
      'build', v_build.name, 'release', v_release.name, 'deployedBy', v_last.deployed_login, 'recorded', false);
  end if;
  v_result := ops.record_deployment(p_project, p_branch, v_build.name, v_release.name);
  update ops.deployments d set image = p_image, commit_sha = p_commit, run_url = p_run_url
   where d.id = (select d2.id from ops.deployments d2 where d2.environment_id = v_env.id
                  order by d2.deployed_at desc limit 1);
  return v_result || pg_catalog.jsonb_build_object('recorded', true, 'deployedBy', v_actor.login);
end $$;

create table ops.incidents (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  environment_id uuid not null references ops.environments (id),
  deployment_id uuid references ops.deployments (id),
  summary text not null check (length(btrim(summary)) between 5 and 500),
  details jsonb not null default '{}' check (jsonb_typeof(details) = 'object' and length(details::text) <= 20000),
  opened_by uuid,
  opened_login text not null,
  opened_at timestamptz not null default clock_timestamp()
);
create index incidents_environment_idx on ops.incidents (environment_id, opened_at desc);
alter table ops.incidents enable row level security;
-- One policy per command, as every table (the service role bypasses RLS for reads).
create policy "members read their project's incidents" on ops.incidents for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts incidents directly; the ops functions do" on ops.incidents
  for insert to authenticated with check (false);
create policy "nobody updates incidents directly; the ops functions do" on ops.incidents
  for update to authenticated using (false) with check (false);
create policy "nobody deletes incidents; the record is permanent" on ops.incidents
  for delete to authenticated using (false);
create trigger incidents_audited after insert or update or delete on ops.incidents
  for each row execute function ops.audit_change();

-- A failed check is evidence: whoever may attach evidence in the stage (automation, the SRE and release
-- manager in production) opens an incident, linked to the environment's latest deployment.
create function ops.open_incident(p_project text, p_branch text, p_summary text, p_details jsonb default '{}')
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments;
  v_actor ops.actor;
  v ops.incidents;
begin
  perform ops.require_member(p_project);
  v_env := ops.live_environment(p_project, p_branch);
  v_actor := ops.require_right(v_env.project_id, 'evidence.attach', v_env.stage);
  if p_summary is null or pg_catalog.length(pg_catalog.btrim(p_summary)) not between 5 and 500 then
    raise exception using errcode = '22023', message = 'an incident summary has 5 to 500 characters';
  end if;
  if pg_catalog.jsonb_typeof(coalesce(p_details, '{}')) <> 'object' or pg_catalog.length(p_details::text) > 20000 then
    raise exception using errcode = '22023', message = 'incident details are a JSON object of at most 20000 characters';
  end if;
  insert into ops.incidents (project_id, environment_id, deployment_id, summary, details, opened_by, opened_login)
  values (v_env.project_id, v_env.id,
    (select d.id from ops.deployments d where d.environment_id = v_env.id order by d.deployed_at desc limit 1),
    p_summary, coalesce(p_details, '{}'), v_actor.user_id, v_actor.login)
  returning * into v;
  return pg_catalog.jsonb_build_object('id', v.id, 'project', p_project, 'branch', p_branch, 'stage', v_env.stage,
    'summary', v.summary, 'deployment', v.deployment_id, 'openedBy', v.opened_login, 'openedAt', v.opened_at);
end $$;

revoke all on table ops.incidents from public, anon, authenticated, service_role;
grant select on table ops.incidents to authenticated, service_role;
revoke execute on function ops.require_member(text) from public;
revoke execute on function ops.record_deployment_run(text, text, text, text, text),
  ops.open_incident(text, text, text, jsonb) from public;
grant execute on function ops.record_deployment_run(text, text, text, text, text),
  ops.open_incident(text, text, text, jsonb) to authenticated, service_role;
