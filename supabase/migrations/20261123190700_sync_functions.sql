-- Facts the platform's automation records (service role only): projects and their members from
-- projects/<name>.yaml, builds from the app repository's CI (with their G1 evidence), closed branches.

create function ops.register_project(p_name text, p_repo text, p_required_checks text[] default '{}')
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.projects;
begin
  perform ops.require_service('register projects');
  insert into ops.projects as p (name, repo, required_checks)
  values (p_name, p_repo, coalesce(p_required_checks, '{}'))
  on conflict (name) do update set repo = excluded.repo, required_checks = excluded.required_checks
    where (p.repo, p.required_checks) is distinct from (excluded.repo, excluded.required_checks)
  returning * into v;
  if v.id is null then
    select * into v from ops.projects p where p.name = p_name;
  end if;
  return jsonb_build_object('id', v.id, 'name', v.name, 'repo', v.repo, 'requiredChecks', to_jsonb(v.required_checks));
end $$;

create function ops.set_member(p_project text, p_user_id uuid, p_github_login text, p_role text)
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_project uuid;
begin
  perform ops.require_service('change project members');
  v_project := ops.project_id(p_project);
  if not (p_role = any (ops.member_roles())) then
    raise exception using errcode = '22023', message = format('unknown persona %s', coalesce(p_role, '(none)')),
      hint = format('one of %s', array_to_string(ops.member_roles(), ', '));
  end if;
  insert into ops.members as m (project_id, user_id, github_login, role)
  values (v_project, p_user_id, p_github_login, p_role)
  on conflict (project_id, user_id) do update set github_login = excluded.github_login, role = excluded.role
    where (m.github_login, m.role) is distinct from (excluded.github_login, excluded.role);
  return jsonb_build_object('project', p_project, 'userId', p_user_id, 'githubLogin', p_github_login, 'role', p_role);
end $$;

create function ops.remove_member(p_project text, p_user_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_project uuid;
begin
  perform ops.require_service('change project members');
  v_project := ops.project_id(p_project);
  delete from ops.members m where m.project_id = v_project and m.user_id = p_user_id;
  return jsonb_build_object('project', p_project, 'userId', p_user_id, 'removed', found);
end $$;

-- A build of a branch; opens (or reopens) the branch's environment. CI's build log and a passing check
-- status are recorded as the build's G1 evidence, so a release of this build starts with them.
create function ops.record_build(
  p_project text, p_branch text, p_stage text, p_build text, p_image text, p_commit text,
  p_checks jsonb default '{}', p_built_at timestamptz default now(),
  p_author_login text default null, p_log_uri text default null
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_project ops.projects;
  v_environment uuid;
  v_build uuid;
begin
  perform ops.require_service('record builds');
  select * into v_project from ops.projects p where p.id = ops.project_id(p_project);
  if not (p_stage = any (ops.stages())) then
    raise exception using errcode = '22023', message = format('unknown stage %s', coalesce(p_stage, '(none)')),
      hint = format('one of %s', array_to_string(ops.stages(), ', '));
  end if;
  if exists (select 1 from ops.builds b where b.project_id = v_project.id and b.name = p_build) then
    raise exception using errcode = '23505',
      message = format('build %s of project %s is already recorded', p_build, p_project),
      hint = 'build ids are unique per project; CI gives each build a new one';
  end if;
  insert into ops.environments as e (project_id, branch, stage)
  values (v_project.id, p_branch, p_stage)
  on conflict (project_id, branch) do update set stage = excluded.stage, status = 'live', closed_at = null
    where (e.stage, e.status) is distinct from (excluded.stage, 'live')
  returning e.id into v_environment;
  if v_environment is null then
    select e.id into v_environment from ops.environments e where e.project_id = v_project.id and e.branch = p_branch;
  end if;
  insert into ops.builds (project_id, environment_id, name, image, commit_sha, checks, author_login, log_uri, built_at)
  values (v_project.id, v_environment, p_build, p_image, p_commit, coalesce(p_checks, '{}'), p_author_login,
    p_log_uri, coalesce(p_built_at, now()))
  returning id into v_build;
  if p_log_uri is not null then
    insert into ops.evidence (project_id, build_id, gate, kind, stage, uri, attached_login)
    values (v_project.id, v_build, 'G1', 'build_log', p_stage, p_log_uri, 'service_role');
  end if;
  if ops.checks_pass(coalesce(p_checks, '{}'), v_project.required_checks) then
    insert into ops.evidence (project_id, build_id, gate, kind, stage, uri, summary, attached_login)
    values (v_project.id, v_build, 'G1', 'checks_status', p_stage,
      coalesce(p_log_uri, format('odooops://%s/builds/%s/checks', p_project, p_build)),
      p_checks::text, 'service_role');
  end if;
  return jsonb_build_object('id', p_build, 'project', p_project, 'branch', p_branch, 'stage', p_stage,
    'image', p_image, 'commit', p_commit, 'checks', coalesce(p_checks, '{}'),
    'g1Evidence', ops.g1_build_evidence(v_build));
end $$;

create function ops.g1_build_evidence(p_build uuid) returns text[]
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(v.kind order by v.kind), '{}') from ops.evidence v where v.build_id = p_build
$$;

create function ops.close_environment(p_project text, p_branch text) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments;
begin
  select * into v_env from ops.environments e
  where e.project_id = ops.project_id(p_project) and e.branch = p_branch for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no environment for branch %s in %s', p_branch, p_project);
  end if;
  perform ops.require_right(v_env.project_id, 'environment.destroy', v_env.stage);
  if v_env.status = 'live' then
    update ops.environments e set status = 'closed', closed_at = clock_timestamp() where e.id = v_env.id;
  end if;
  return jsonb_build_object('project', p_project, 'branch', p_branch, 'stage', v_env.stage, 'status', 'closed');
end $$;
