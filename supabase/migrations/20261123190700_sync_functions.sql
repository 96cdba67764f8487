-- Facts the platform's automation records (service role only): projects and their members from
-- projects/<name>.yaml, builds from the app repository's CI (with their G1 evidence), closed branches.

create function ops.register_project(
  p_name text, p_repo text, p_required_checks text[] default '{}', p_branches jsonb default null
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.projects;
begin
  perform ops.require_service('register projects');
  if p_branches is not null and not ops.branch_rules_valid(p_branches) then
    raise exception using errcode = '22023',
      message = 'branch rules are a list of {match, stage}: a pattern of 1 to 255 characters and a stage',
      hint = format('stages: %s; the rules come from branches in projects/<name>.yaml',
        array_to_string(ops.stages(), ', '));
  end if;
  -- Without p_branches a re-registration keeps the rules on record.
  insert into ops.projects as p (name, repo, required_checks, branch_rules)
  values (p_name, p_repo, coalesce(p_required_checks, '{}'), coalesce(p_branches, '[]'))
  on conflict (name) do update set repo = excluded.repo, required_checks = excluded.required_checks,
      branch_rules = coalesce(p_branches, p.branch_rules)
    where (p.repo, p.required_checks, p.branch_rules)
      is distinct from (excluded.repo, excluded.required_checks, coalesce(p_branches, p.branch_rules))
  returning * into v;
  if v.id is null then
    select * into v from ops.projects p where p.name = p_name;
  end if;
  return jsonb_build_object('id', v.id, 'name', v.name, 'repo', v.repo, 'requiredChecks', to_jsonb(v.required_checks),
    'branches', v.branch_rules);
end $$;

-- matchesPattern (model/glob.ts, GitHub's fnmatch semantics) as an anchored regular expression: `**` any
-- run, `*` any run without `/`, `?` one character but `/`, everything else literal.
create function ops.branch_pattern_regex(p_pattern text) returns text
language sql immutable parallel safe set search_path = pg_catalog, pg_temp as $$
  select '^' || replace(replace(replace(replace(
    regexp_replace(p_pattern, '([+.^$(){}|\[\]\\])', '\\\1', 'g'),
    '**', chr(1)), '*', '[^/]*'), '?', '[^/]'), chr(1), '.*') || '$'
$$;

create function ops.branch_rules_valid(p_rules jsonb) returns boolean
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select jsonb_typeof(p_rules) = 'array' and jsonb_array_length(p_rules) between 1 and 100
    and not exists (select 1 from jsonb_array_elements(p_rules) r(rule)
      where jsonb_typeof(r.rule) <> 'object' or jsonb_typeof(r.rule -> 'match') is distinct from 'string'
        or length(r.rule ->> 'match') not between 1 and 255 or not ((r.rule ->> 'stage') = any (ops.stages())))
$$;

-- matchRule (model/input/branches.ts): the stage of the first rule matching the branch; null when none does.
create function ops.branch_stage(p_rules jsonb, p_branch text) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select r.rule ->> 'stage' from jsonb_array_elements(p_rules) with ordinality as r(rule, ord)
  where p_branch ~ ops.branch_pattern_regex(r.rule ->> 'match')
  order by r.ord limit 1
$$;

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

-- A build of a branch, for ops.record_build (automation) and ops.record_build_with_key (a build key):
-- whoever calls it has already decided that the caller may record builds of p_stage. The stage is the
-- project's branch rules' (never the caller's to choose), an existing environment keeps its stage, and a
-- closed one reopens only for whoever may deploy there (automation; never a build key). CI's build log and
-- a passing check status are recorded as the build's G1 evidence, attached by p_recorder.
create function ops.store_build(
  p_project ops.projects, p_branch text, p_stage text, p_build text, p_image text, p_commit text,
  p_checks jsonb, p_built_at timestamptz, p_author_login text, p_log_uri text, p_recorder text
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_rule_stage text := ops.branch_stage(p_project.branch_rules, p_branch);
  v_env ops.environments;
  v_build uuid;
begin
  if jsonb_array_length(p_project.branch_rules) = 0 then
    raise exception using errcode = '22023',
      message = format('project %s has no branch rules in the control plane, so no branch has a stage', p_project.name),
      hint = 'the platform registers them from branches in projects/<name>.yaml (ops.register_project)';
  end if;
  if p_branch is null or v_rule_stage is null then
    raise exception using errcode = '22023',
      message = format('no branch rule of %s matches branch %s', p_project.name, coalesce(p_branch, '(none)')),
      hint = 'only branches the project''s rules give a stage have builds';
  end if;
  select * into v_env from ops.environments e
  where e.project_id = p_project.id and e.branch = p_branch for update;
  if p_stage is distinct from coalesce(v_env.stage, v_rule_stage) then
    raise exception using errcode = '42501',
      message = format('branch %s of %s is %s, not %s: a build never chooses or changes a stage', p_branch,
        p_project.name, coalesce(v_env.stage, v_rule_stage), coalesce(p_stage, '(none)')),
      hint = 'the stage of a branch comes from the project''s branch rules';
  end if;
  perform ops.require_text(p_author_login, 'the build''s author', 100, false);
  perform ops.require_text(p_log_uri, 'the build log URI', 2048, false);
  perform ops.require_small_json(p_checks, 'the check results', 16384);
  if exists (select 1 from ops.builds b where b.project_id = p_project.id and b.name = p_build) then
    raise exception using errcode = '23505',
      message = format('build %s of project %s is already recorded', p_build, p_project.name),
      hint = 'build ids are unique per project; CI gives each build a new one';
  end if;
  if v_env.id is null then
    insert into ops.environments (project_id, branch, stage) values (p_project.id, p_branch, p_stage)
    returning * into v_env;
  elsif v_env.status = 'closed' then
    if not ops.is_service() then
      raise exception using errcode = '42501',
        message = format('environment %s of %s is closed; a build key records builds, it does not reopen one',
          p_branch, p_project.name),
        hint = format('reopening takes the right to deploy in %s: the platform''s automation reopens it', v_env.stage);
    end if;
    perform ops.require_right(p_project.id, 'deploy', v_env.stage);
    update ops.environments e set status = 'live', closed_at = null where e.id = v_env.id;
  end if;
  insert into ops.builds (project_id, environment_id, name, image, commit_sha, checks, author_login, log_uri, built_at)
  values (p_project.id, v_env.id, p_build, p_image, p_commit, coalesce(p_checks, '{}'), p_author_login,
    p_log_uri, coalesce(p_built_at, now()))
  returning id into v_build;
  if p_log_uri is not null then
    insert into ops.evidence (project_id, build_id, gate, kind, stage, uri, attached_login)
    values (p_project.id, v_build, 'G1', 'build_log', p_stage, p_log_uri, p_recorder);
  end if;
  if ops.checks_pass(coalesce(p_checks, '{}'), p_project.required_checks) then
    insert into ops.evidence (project_id, build_id, gate, kind, stage, uri, summary, attached_login)
    values (p_project.id, v_build, 'G1', 'checks_status', p_stage,
      coalesce(p_log_uri, format('odooops://%s/builds/%s/checks', p_project.name, p_build)),
      p_checks::text, p_recorder);
  end if;
  return jsonb_build_object('id', p_build, 'project', p_project.name, 'branch', p_branch, 'stage', p_stage,
    'image', p_image, 'commit', p_commit, 'checks', coalesce(p_checks, '{}'),
    'g1Evidence', ops.g1_build_evidence(v_build));
end $$;

create function ops.record_build(
  p_project text, p_branch text, p_stage text, p_build text, p_image text, p_commit text,
  p_checks jsonb default '{}', p_built_at timestamptz default now(),
  p_author_login text default null, p_log_uri text default null
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_project ops.projects;
begin
  perform ops.require_service('record builds');
  select * into v_project from ops.projects p where p.id = ops.project_id(p_project);
  return ops.store_build(v_project, p_branch, p_stage, p_build, p_image, p_commit, p_checks, p_built_at,
    p_author_login, p_log_uri, 'service_role');
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
