-- Builds, releases and their gates. CI records builds (with their G1 evidence); a release manager makes
-- a release of a build; gates G1-G4 pass in order, each signed with its evidence (or under an exception,
-- *_exceptions); a second release manager approves the promotion; deployments are recorded as the deploy
-- workflow saw them, and a rollback as what it restored. Each write function locks the release row first,
-- so concurrent signatures, approvals and exceptions on one release are serialized: a gate cannot pass
-- twice or out of order. The read functions (ops.release_status, ops.catalog) run with the caller's rights.

-- Times default to clock_timestamp(), not the transaction's start: taken after a function has waited for
-- its lock on the release, they order signatures, evidence and deployments as they really happened.

create table ops.builds (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  environment_id uuid not null references ops.environments (id),
  name text not null check (name ~ '^[a-z0-9][a-z0-9-]{0,30}$'),
  image text not null check (image ~ '^[a-z0-9][a-z0-9._:/-]*@sha256:[a-f0-9]{64}$'),
  commit_sha text not null check (commit_sha ~ '^[0-9a-f]{7,40}$'),
  checks jsonb not null default '{}' check (jsonb_typeof(checks) = 'object'),
  author_login text,
  log_uri text,
  built_at timestamptz not null,
  recorded_at timestamptz not null default clock_timestamp(),
  unique (project_id, name)
);
create index builds_environment_idx on ops.builds (environment_id, built_at desc);

create table ops.releases (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  build_id uuid not null references ops.builds (id),
  name text not null check (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
  status text not null default 'candidate' check (status = any (ops.release_statuses())),
  created_by uuid not null,
  created_login text not null,
  created_at timestamptz not null default clock_timestamp(),
  unique (project_id, name)
);

-- Every signature of a gate, append-only (*_audit refuses UPDATE and DELETE): a gate whose
-- exception lapsed is signed again with a new row, so who ever signed G2 stays on record for G2 ≠ G3.
-- The newest row is the gate's signature; ops.sign_gate locks the release, so a gate never passes twice.
create table ops.release_gates (
  id bigint generated always as identity primary key,
  release_id uuid not null references ops.releases (id),
  project_id uuid not null references ops.projects (id),
  gate text not null check (gate = any (ops.gate_ids())),
  stage text not null check (stage = any (ops.stages())),
  signed_by uuid,
  signed_login text not null,
  -- Set when the gate passed without its evidence, covered by this exception (foreign key: *_exceptions).
  exception_id uuid,
  signed_at timestamptz not null default clock_timestamp()
);
create index release_gates_release_idx on ops.release_gates (release_id, gate, id desc);

-- Evidence belongs to a release, or to a build when CI records it (G1 build log and check status).
create table ops.evidence (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  release_id uuid references ops.releases (id),
  build_id uuid references ops.builds (id),
  gate text not null check (gate = any (ops.gate_ids())),
  kind text not null check (kind = any (ops.gate_required_evidence(gate))),
  stage text not null check (stage = any (ops.stages())),
  uri text not null check (uri ~ '^[a-z][a-z0-9+.-]*://[^[:space:]]+$'),
  summary text,
  sha256 text check (sha256 ~ '^[a-f0-9]{64}$'),
  attached_by uuid,
  attached_login text not null,
  attached_at timestamptz not null default clock_timestamp(),
  check (num_nonnulls(release_id, build_id) = 1)
);
create index evidence_release_idx on ops.evidence (release_id, gate);
create index evidence_build_idx on ops.evidence (build_id, gate);

-- A decision on an exception, or the promotion approval of a release (exception_id null).
create table ops.approvals (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  release_id uuid not null references ops.releases (id),
  -- The exception decided (foreign key: *_exceptions); null for a promotion approval.
  exception_id uuid,
  decision text not null check (decision in ('approved', 'rejected')),
  approver uuid not null,
  approver_login text not null,
  comment text,
  decided_at timestamptz not null default clock_timestamp()
);
create unique index approvals_one_per_exception on ops.approvals (exception_id) where exception_id is not null;
create unique index approvals_one_promotion_per_release on ops.approvals (release_id) where exception_id is null;

create table ops.deployments (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  environment_id uuid not null references ops.environments (id),
  build_id uuid not null references ops.builds (id),
  release_id uuid references ops.releases (id),
  deployed_by uuid,
  deployed_login text not null,
  deployed_at timestamptz not null default clock_timestamp(),
  -- As the deploy workflow saw it (ops.record_deployment_run): the running image, the platform commit, the run.
  image text check (image ~ '^[a-z0-9][a-z0-9._:/-]{0,250}@sha256:[a-f0-9]{64}$'),
  commit_sha text check (commit_sha ~ '^[0-9a-f]{7,40}$'),
  run_url text check (length(run_url) <= 500 and run_url ~ '^https://[^[:space:]]+$')
);
create index deployments_release_idx on ops.deployments (release_id, deployed_at desc);

create function ops.build_stage(p_build uuid) returns text
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select e.stage from ops.builds b join ops.environments e on e.id = b.environment_id where b.id = p_build
$$;

-- G1 check status: every required check succeeded, and nothing failed or is pending.
create function ops.checks_pass(p_checks jsonb, p_required text[]) returns boolean
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select exists (select 1 from jsonb_each_text(p_checks))
    and not exists (select 1 from jsonb_each_text(p_checks) c where c.value <> 'success')
    and not exists (select 1 from unnest(p_required) r(name) where (p_checks ->> r.name) is distinct from 'success')
$$;

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

-- Gate logic, the SQL twin of model/governance/gates.ts: gate outcome, evidence present and missing
-- (whether an exception is active: *_exceptions). Plain (security invoker) functions: inside write functions they see everything, inside read
-- functions they see what the caller's row-level security allows.

create function ops.release_json(p_release ops.releases) returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select jsonb_build_object('id', p_release.id, 'release', p_release.name, 'status', p_release.status,
    'createdBy', p_release.created_login, 'createdAt', p_release.created_at)
$$;

create function ops.last_production_deployment(p_release uuid) returns timestamptz
language sql stable set search_path = pg_catalog, pg_temp as $$
  select max(d.deployed_at) from ops.deployments d
  join ops.environments e on e.id = d.environment_id
  where d.release_id = p_release and e.stage = 'production'
$$;

-- The signature in force: the newest of a gate's signatures (ops.release_gates keeps them all).
create function ops.gate_signature(p_release uuid, p_gate text) returns setof ops.release_gates
language sql stable set search_path = pg_catalog, pg_temp as $$
  select * from ops.release_gates g where g.release_id = p_release and g.gate = p_gate order by g.id desc limit 1
$$;

-- Gate outcomes and the catalog read ops.exceptions, which the next migration creates: their bodies are
-- checked when they first run instead of now (as in pg_dump's output), and only theirs.
set check_function_bodies = false;

-- gateOutcome: passed (signed with its evidence), excepted (signed under an exception that is still
-- active), missing. An exception that lapses turns its gate back to missing: it no longer authorizes.
create function ops.gate_outcome(p_release uuid, p_gate text) returns text
language sql stable set search_path = pg_catalog, pg_temp as $$
  select case
    when g.gate is null then 'missing'
    when g.exception_id is null then 'passed'
    when ops.active_exception(p_release, p_gate) is not null then 'excepted'
    else 'missing' end
  from (select 1) as one
  left join lateral (select * from ops.gate_signature(p_release, p_gate)) g on true
$$;

-- Evidence kinds on record for a gate: the release's own and its build's (CI records G1 with the build).
-- G4 confirms a deployment, so only evidence attached after the latest production deployment counts.
create function ops.present_evidence(p_release ops.releases, p_gate text) returns text[]
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(distinct v.kind order by v.kind), '{}')
  from ops.evidence v
  where v.gate = p_gate
    and (v.release_id = p_release.id or v.build_id = p_release.build_id)
    and (p_gate <> 'G4' or v.attached_at >= ops.last_production_deployment(p_release.id))
$$;

-- missingEvidence, in the order the gate lists its kinds.
create function ops.missing_evidence(p_release ops.releases, p_gate text) returns text[]
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(k.kind order by k.ord), '{}')
  from unnest(ops.gate_required_evidence(p_gate)) with ordinality as k(kind, ord)
  where not (k.kind = any (ops.present_evidence(p_release, p_gate)))
$$;

-- The first gate, in order, that is neither passed nor excepted (nextGate); null when all are.
create function ops.next_gate(p_release uuid) returns text
language sql stable set search_path = pg_catalog, pg_temp as $$
  select g.gate from unnest(ops.gate_ids()) with ordinality as g(gate, ord)
  where ops.gate_outcome(p_release, g.gate) = 'missing'
  order by g.ord
  limit 1
$$;

-- gateBlockers: gates up to p_through that are neither passed nor excepted.
create function ops.blocking_gates(p_release uuid, p_through text) returns text[]
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(g.gate order by g.ord), '{}')
  from unnest(ops.gate_ids()) with ordinality as g(gate, ord)
  where g.ord <= array_position(ops.gate_ids(), p_through) and ops.gate_outcome(p_release, g.gate) = 'missing'
$$;

reset check_function_bodies;

create function ops.lock_release(p_project uuid, p_release text) returns ops.releases
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v ops.releases;
begin
  select * into v from ops.releases r where r.project_id = p_project and r.name = p_release for update;
  if not found then
    raise exception using errcode = 'P0002', message = format('no release %s in this project', coalesce(p_release, '(none)')),
      hint = 'create it with: odooops release create <project> <release> --build <build-id>';
  end if;
  return v;
end $$;

-- One promotion decision per release (approvals_one_promotion_per_release): approval and rejection both
-- refuse a release that already has one, naming it, before their insert could meet the index.
create function ops.require_undecided(p_release ops.releases, p_name text) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_decision text;
begin
  select a.decision into v_decision from ops.approvals a
   where a.release_id = p_release.id and a.exception_id is null;
  if found then
    raise exception using errcode = 'OD004',
      message = pg_catalog.format('release %s has already been decided (%s)', p_name, v_decision),
      hint = 'a decision is final: ship the fix as a new release';
  end if;
end $$;

create function ops.require_gate(p_gate text) returns void
language plpgsql immutable set search_path = pg_catalog, pg_temp as $$
begin
  if p_gate is null or not (p_gate = any (ops.gate_ids())) then
    raise exception using errcode = '22023', message = format('unknown gate %s', coalesce(p_gate, '(none)')),
      hint = 'gates are G1, G2, G3 and G4';
  end if;
end $$;

-- Checks the right to attach evidence for the gate's stage, then records it. Not granted to clients.
create function ops.add_evidence(
  p_release ops.releases, p_gate text, p_kind text, p_uri text, p_summary text, p_sha256 text
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_stage text := ops.gate_stage(p_gate, ops.build_stage(p_release.build_id));
  v_actor ops.actor := ops.require_right(p_release.project_id, 'evidence.attach', v_stage);
  v_id uuid;
begin
  if p_kind is null or not (p_kind = any (ops.gate_required_evidence(p_gate))) then
    raise exception using errcode = '22023',
      message = format('%s is not evidence of %s', coalesce(p_kind, '(none)'), p_gate),
      hint = format('%s takes %s', p_gate, array_to_string(ops.gate_required_evidence(p_gate), ', '));
  end if;
  perform ops.require_text(p_summary, 'an evidence summary', 2000, false);
  if p_uri is null or p_uri !~ '^[a-z][a-z0-9+.-]*://[^[:space:]]+$' or length(p_uri) > 2048 then
    raise exception using errcode = '22023', message = format('evidence %s needs a URI, e.g. https://ci.example/run/42', p_kind);
  end if;
  insert into ops.evidence (project_id, release_id, gate, kind, stage, uri, summary, sha256, attached_by, attached_login)
  values (p_release.project_id, p_release.id, p_gate, p_kind, v_stage, p_uri, p_summary, p_sha256,
    v_actor.user_id, v_actor.login)
  returning id into v_id;
  return jsonb_build_object('id', v_id, 'gate', p_gate, 'kind', p_kind, 'uri', p_uri, 'stage', v_stage);
end $$;

create function ops.create_release(p_project text, p_release text, p_build text) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_project uuid := ops.project_id(p_project);
  v_actor ops.actor := ops.require_right(v_project, 'release.create', 'production');
  v_build uuid;
  v ops.releases;
begin
  select b.id into v_build from ops.builds b where b.project_id = v_project and b.name = p_build;
  if v_build is null then
    raise exception using errcode = 'P0002', message = format('no build %s in project %s', p_build, p_project),
      hint = 'CI records builds; odooops release status lists what a release is built from';
  end if;
  if exists (select 1 from ops.releases r where r.project_id = v_project and r.name = p_release) then
    raise exception using errcode = '23505', message = format('release %s already exists in %s', p_release, p_project);
  end if;
  insert into ops.releases (project_id, build_id, name, created_by, created_login)
  values (v_project, v_build, p_release, v_actor.user_id, v_actor.login)
  returning * into v;
  return ops.release_json(v);
end $$;

create function ops.attach_evidence(
  p_project text, p_release text, p_gate text, p_kind text, p_uri text,
  p_summary text default null, p_sha256 text default null
) returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_release ops.releases;
begin
  perform ops.require_gate(p_gate);
  v_release := ops.lock_release(ops.project_id(p_project), p_release);
  return ops.add_evidence(v_release, p_gate, p_kind, p_uri, p_summary, p_sha256);
end $$;

-- Signs a gate, attaching p_evidence ([{kind, uri, summary?, sha256?}]) first, all in one transaction.
create function ops.sign_gate(p_project text, p_release text, p_gate text, p_evidence jsonb default '[]')
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_release ops.releases;
  v_stage text;
  v_actor ops.actor;
  v_item jsonb;
  v_earlier text;
  v_missing text[];
  v_exception uuid;
  v_author text;
begin
  perform ops.require_gate(p_gate);
  v_release := ops.lock_release(ops.project_id(p_project), p_release);
  v_stage := ops.gate_stage(p_gate, ops.build_stage(v_release.build_id));
  v_actor := ops.require_right(v_release.project_id, 'gate.sign.' || p_gate, v_stage);

  if ops.gate_outcome(v_release.id, p_gate) <> 'missing' then
    raise exception using errcode = 'OD004',
      message = format('%s of release %s has already passed (signed by %s)', p_gate, p_release,
        (select g.signed_login from ops.gate_signature(v_release.id, p_gate) g));
  end if;
  select g.gate into v_earlier from unnest(ops.gate_ids()) with ordinality as g(gate, ord)
  where g.ord < array_position(ops.gate_ids(), p_gate) and ops.gate_outcome(v_release.id, g.gate) = 'missing'
  order by g.ord limit 1;
  if v_earlier is not null then
    raise exception using errcode = 'OD001',
      message = format('%s cannot be signed before %s: gates pass in order G1 → G2 → G3 → G4', p_gate, v_earlier),
      hint = format('sign %s of release %s first', v_earlier, p_release);
  end if;

  -- Separation of duties: nobody who ever signed G2 of the release (every signature is kept) signs its
  -- G3; nobody signs acceptance of their own build.
  if p_gate = 'G3' and exists (select 1 from ops.release_gates g where g.release_id = v_release.id
      and g.gate = 'G2' and g.signed_by = v_actor.user_id) then
    raise exception using errcode = 'OD003',
      message = format('%s signed G2 of release %s and so cannot sign G3', v_actor.login, p_release),
      hint = 'another release manager signs G3';
  end if;
  select b.author_login into v_author from ops.builds b where b.id = v_release.build_id;
  if p_gate in ('G2', 'G3') and lower(v_author) = lower(v_actor.login) then
    raise exception using errcode = 'OD003',
      message = format('%s authored the build of release %s and so cannot sign %s', v_actor.login, p_release, p_gate),
      hint = 'an approver is never the author of what is approved';
  end if;

  if jsonb_typeof(coalesce(p_evidence, '[]')) <> 'array' then
    raise exception using errcode = '22023', message = 'evidence must be a list of {kind, uri}';
  end if;
  for v_item in select * from jsonb_array_elements(coalesce(p_evidence, '[]')) loop
    perform ops.add_evidence(v_release, p_gate, v_item ->> 'kind', v_item ->> 'uri', v_item ->> 'summary', v_item ->> 'sha256');
  end loop;

  if p_gate = 'G4' and ops.last_production_deployment(v_release.id) is null then
    raise exception using errcode = 'OD006',
      message = format('G4 confirms a production deployment, and release %s has not been deployed to production', p_release),
      hint = 'record the deployment first; G4 follows it with health evidence';
  end if;
  v_missing := ops.missing_evidence(v_release, p_gate);
  if p_gate = 'G4' and 'health_checks' = any (v_missing) then
    raise exception using errcode = 'OD006',
      message = format('G4 needs health_checks evidence attached after the production deployment of %s', p_release),
      hint = 'attach health_checks evidence from the deployed release; no exception replaces it';
  end if;
  if cardinality(v_missing) > 0 then
    v_exception := ops.active_exception(v_release.id, p_gate);
    if v_exception is null then
      raise exception using errcode = 'OD002',
        message = format('%s of release %s lacks %s', p_gate, p_release, array_to_string(v_missing, ', ')),
        hint = format('attach it (--evidence kind=uri) or have an exception covering %s approved', p_gate);
    end if;
  end if;

  -- A new row even when re-signing a gate whose exception lapsed: earlier signatures stay on record.
  insert into ops.release_gates (release_id, project_id, gate, stage, signed_by, signed_login, exception_id)
  values (v_release.id, v_release.project_id, p_gate, v_stage, v_actor.user_id, v_actor.login, v_exception);
  if p_gate = 'G4' then
    update ops.releases r set status = 'closed' where r.id = v_release.id;
  end if;
  return jsonb_build_object('release', p_release, 'gate', p_gate, 'stage', v_stage,
    'outcome', case when v_exception is null then 'passed' else 'excepted' end,
    'signedBy', v_actor.login, 'exception', v_exception, 'nextGate', ops.next_gate(v_release.id));
end $$;

-- Promotion approval (release.promote): G1–G3 passed or excepted now, approver not the author.
create function ops.approve_release(p_project text, p_release text, p_comment text default null)
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_release ops.releases := ops.lock_release(ops.project_id(p_project), p_release);
  v_actor ops.actor := ops.require_right(v_release.project_id, 'release.promote', 'production');
  v_blocking text[];
  v_author text;
begin
  perform ops.require_text(p_comment, 'an approval comment', 1000, false);
  if v_release.status <> 'candidate' then
    raise exception using errcode = 'OD004', message = format('release %s is already %s', p_release, v_release.status);
  end if;
  -- A rejection leaves the release a candidate but takes its one promotion decision.
  perform ops.require_undecided(v_release, p_release);
  v_blocking := ops.blocking_gates(v_release.id, 'G3');
  if cardinality(v_blocking) > 0 then
    raise exception using errcode = 'OD007',
      message = format('release %s cannot be promoted: %s neither passed nor covered by an active exception',
        p_release, array_to_string(v_blocking, ', ')),
      hint = 'sign the gates (odooops gate sign) or have an exception approved';
  end if;
  select b.author_login into v_author from ops.builds b where b.id = v_release.build_id;
  if v_actor.user_id = v_release.created_by or lower(v_author) = lower(v_actor.login) then
    raise exception using errcode = 'OD003',
      message = format('%s created release %s or authored its build and so cannot approve it', v_actor.login, p_release),
      hint = 'an approver is never the author of what is approved: another release manager approves';
  end if;
  insert into ops.approvals (project_id, release_id, decision, approver, approver_login, comment)
  values (v_release.project_id, v_release.id, 'approved', v_actor.user_id, v_actor.login, p_comment);
  update ops.releases r set status = 'approved' where r.id = v_release.id returning * into v_release;
  return ops.release_json(v_release);
end $$;

-- `odooops release reject`: a release manager who may promote says no to a candidate, with a reason. The
-- decision is final (one promotion decision per release, approvals_one_promotion_per_release): the fix
-- ships as a new release. Same separation of duties as approval: never by its creator or build author.
create function ops.reject_release(p_project text, p_release text, p_reason text)
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_release ops.releases;
  v_actor ops.actor;
  v_author text;
begin
  perform ops.require_member(p_project);
  v_release := ops.lock_release(ops.project_id(p_project), p_release);
  v_actor := ops.require_right(v_release.project_id, 'release.promote', 'production');
  if p_reason is null or pg_catalog.length(pg_catalog.btrim(p_reason)) not between 10 and 1000 then
    raise exception using errcode = '22023', message = 'a rejection gives its reason in 10 to 1000 characters';
  end if;
  if v_release.status <> 'candidate' then
    raise exception using errcode = 'OD004',
      message = pg_catalog.format('release %s has already been decided (%s)', p_release, v_release.status);
  end if;
  perform ops.require_undecided(v_release, p_release);
  select b.author_login into v_author from ops.builds b where b.id = v_release.build_id;
  if v_actor.user_id = v_release.created_by or pg_catalog.lower(v_author) = pg_catalog.lower(v_actor.login) then
    raise exception using errcode = 'OD003',
      message = pg_catalog.format('%s created release %s or authored its build and so cannot decide on it',
        v_actor.login, p_release),
      hint = 'another release manager decides';
  end if;
  insert into ops.approvals (project_id, release_id, decision, approver, approver_login, comment)
  values (v_release.project_id, v_release.id, 'rejected', v_actor.user_id, v_actor.login, p_reason);
  return ops.release_json(v_release) || pg_catalog.jsonb_build_object('rejectedBy', v_actor.login);
end $$;

-- Production deployments carry their release: approved for promotion, G1–G3 still passed or covered by
-- an exception that is active now (an expired exception authorizes nothing, seed 001 FR-6).
create function ops.record_deployment(p_project text, p_branch text, p_build text, p_release text default null)
returns jsonb
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_env ops.environments := ops.live_environment(p_project, p_branch);
  v_actor ops.actor := ops.require_right(v_env.project_id, 'deploy', v_env.stage);
  v_build uuid;
  v_release ops.releases;
  v_blocking text[];
begin
  select b.id into v_build from ops.builds b where b.project_id = v_env.project_id and b.name = p_build;
  if v_build is null then
    raise exception using errcode = 'P0002', message = format('no build %s in project %s', p_build, p_project);
  end if;
  if v_env.stage = 'production' and p_release is null then
    raise exception using errcode = '22023', message = 'a production deployment names its release';
  end if;
  if p_release is not null then
    v_release := ops.lock_release(v_env.project_id, p_release);
    if v_release.build_id <> v_build then
      raise exception using errcode = '22023', message = format('release %s is not built from %s', p_release, p_build);
    end if;
  end if;
  if v_env.stage = 'production' then
    if v_release.status = 'candidate' then
      raise exception using errcode = 'OD007', message = format('release %s has not been approved for promotion', p_release),
        hint = 'a release manager who did not create it approves it first';
    end if;
    v_blocking := ops.blocking_gates(v_release.id, 'G3');
    if cardinality(v_blocking) > 0 then
      raise exception using errcode = 'OD007',
        message = format('release %s cannot be deployed: %s neither passed nor covered by an active exception',
          p_release, array_to_string(v_blocking, ', '));
    end if;
  end if;
  insert into ops.deployments (project_id, environment_id, build_id, release_id, deployed_by, deployed_login)
  values (v_env.project_id, v_env.id, v_build, v_release.id, v_actor.user_id, v_actor.login);
  if v_env.stage = 'production' and v_release.status = 'approved' then
    update ops.releases r set status = 'deployed' where r.id = v_release.id;
  end if;
  return jsonb_build_object('project', p_project, 'branch', p_branch, 'stage', v_env.stage, 'build', p_build,
    'release', p_release, 'deployedBy', v_actor.login);
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
  -- One run at a time per environment (a re-run while the first is finishing): the second waits here,
  -- then sees the first's deployment and records nothing, and the row updated below is this run's own.
  perform 1 from ops.environments e where e.id = v_env.id for update;
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

create function ops.release_status(p_project text, p_release text) returns jsonb
language plpgsql stable set search_path = pg_catalog, pg_temp as $$
declare
  r ops.releases;
  v_build_stage text;
begin
  select * into r from ops.releases x where x.project_id = ops.project_id(p_project) and x.name = p_release;
  if not found then
    raise exception using errcode = 'P0002', message = format('no release %s in %s that you can see', p_release, p_project);
  end if;
  v_build_stage := ops.build_stage(r.build_id);
  return ops.release_json(r) || jsonb_build_object(
    'project', p_project,
    'build', (select jsonb_build_object('id', b.name, 'image', b.image, 'commit', b.commit_sha, 'branch', e.branch,
        'stage', e.stage, 'builtAt', b.built_at, 'checks', b.checks, 'author', b.author_login)
      from ops.builds b join ops.environments e on e.id = b.environment_id where b.id = r.build_id),
    'gates', (select jsonb_agg(jsonb_build_object('gate', g.gate, 'name', ops.gate_name(g.gate),
        'stage', ops.gate_stage(g.gate, v_build_stage), 'outcome', ops.gate_outcome(r.id, g.gate),
        'signedBy', s.signed_login, 'signedAt', s.signed_at, 'exception', s.exception_id,
        'required', to_jsonb(ops.gate_required_evidence(g.gate)),
        'present', to_jsonb(ops.present_evidence(r, g.gate)),
        'missing', to_jsonb(ops.missing_evidence(r, g.gate))) order by g.ord)
      from unnest(ops.gate_ids()) with ordinality as g(gate, ord)
      left join lateral (select * from ops.gate_signature(r.id, g.gate)) s on true),
    'nextGate', ops.next_gate(r.id),
    'evidence', (select coalesce(jsonb_agg(jsonb_build_object('gate', v.gate, 'kind', v.kind, 'uri', v.uri,
        'summary', v.summary, 'attachedBy', v.attached_login, 'attachedAt', v.attached_at) order by v.attached_at), '[]')
      from ops.evidence v where v.release_id = r.id or v.build_id = r.build_id),
    'exceptions', (select coalesce(jsonb_agg(ops.exception_json(x) order by x.requested_at), '[]')
      from ops.exceptions x where x.release_id = r.id),
    'approvals', (select coalesce(jsonb_agg(jsonb_build_object('decision', a.decision, 'approver', a.approver_login,
        'exception', a.exception_id, 'comment', a.comment, 'decidedAt', a.decided_at) order by a.decided_at), '[]')
      from ops.approvals a where a.release_id = r.id),
    'deployments', (select coalesce(jsonb_agg(jsonb_build_object('branch', e.branch, 'stage', e.stage,
        'deployedBy', d.deployed_login, 'deployedAt', d.deployed_at) order by d.deployed_at), '[]')
      from ops.deployments d join ops.environments e on e.id = d.environment_id where d.release_id = r.id));
end $$;

set check_function_bodies = false;

-- The build catalog (model/input/catalog.ts): per project, each live branch with its latest build that has no
-- failed check, and every release with the gates passed on evidence and its exceptions.
create function ops.catalog(p_projects text[] default null) returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select jsonb_build_object('projects', coalesce(jsonb_object_agg(p.name, jsonb_build_object(
    'branches', (select coalesce(jsonb_agg(jsonb_build_object('name', e.branch, 'build', jsonb_build_object(
        'id', b.name, 'image', b.image, 'commit', b.commit_sha, 'builtAt', b.built_at, 'checks', b.checks))
        order by e.branch), '[]')
      from ops.environments e
      cross join lateral (select * from ops.builds x where x.environment_id = e.id
        and not exists (select 1 from jsonb_each_text(x.checks) c where c.value = 'failure')
        order by x.built_at desc, x.recorded_at desc limit 1) b
      where e.project_id = p.id and e.status = 'live'),
    'releases', (select coalesce(jsonb_agg(jsonb_build_object('id', r.name, 'image', b.image,
        'passed', (select coalesce(jsonb_agg(distinct g.gate order by g.gate), '[]') from ops.release_gates g
          where g.release_id = r.id and g.exception_id is null),
        'exceptions', (select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('id', x.id, 'type', x.type,
            'rationale', x.rationale, 'requestedBy', x.requested_login,
            'approver', case when x.status = 'approved' then x.decided_login end,
            'risk', x.risk, 'expiresAt', x.expires_at, 'gates', to_jsonb(x.gates),
            'reviewRequired', x.review_required, 'status', x.status)) order by x.requested_at), '[]')
          from ops.exceptions x where x.release_id = r.id)) order by r.created_at), '[]')
      from ops.releases r join ops.builds b on b.id = r.build_id where r.project_id = p.id)
  )), '{}'))
  from ops.projects p
  where p_projects is null or p.name = any (p_projects)
$$;

reset check_function_bodies;

-- Row-level security on every table, one policy per command. Members of a project read its rows; nobody
-- writes directly: writes go through the ops functions, which check decision rights and gate rules. The
-- service role (CI, agents) bypasses RLS for reads, as on every Supabase project, and has no write
-- privilege on any table. The policies stay in force even if a grant is added by mistake.

alter table ops.builds enable row level security;
create policy "members read their project's builds" on ops.builds for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts builds directly; the ops functions do" on ops.builds
  for insert to authenticated with check (false);
create policy "nobody updates builds directly; the ops functions do" on ops.builds
  for update to authenticated using (false) with check (false);
create policy "nobody deletes builds; the record is permanent" on ops.builds
  for delete to authenticated using (false);
revoke all on table ops.builds from public, anon, authenticated, service_role;
grant select on table ops.builds to authenticated, service_role;

alter table ops.releases enable row level security;
create policy "members read their project's releases" on ops.releases for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts releases directly; the ops functions do" on ops.releases
  for insert to authenticated with check (false);
create policy "nobody updates releases directly; the ops functions do" on ops.releases
  for update to authenticated using (false) with check (false);
create policy "nobody deletes releases; the record is permanent" on ops.releases
  for delete to authenticated using (false);
revoke all on table ops.releases from public, anon, authenticated, service_role;
grant select on table ops.releases to authenticated, service_role;

alter table ops.release_gates enable row level security;
create policy "members read their project's release gates" on ops.release_gates for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts release gates directly; the ops functions do" on ops.release_gates
  for insert to authenticated with check (false);
create policy "nobody updates release gates directly; the ops functions do" on ops.release_gates
  for update to authenticated using (false) with check (false);
create policy "nobody deletes release gates; the record is permanent" on ops.release_gates
  for delete to authenticated using (false);
revoke all on table ops.release_gates from public, anon, authenticated, service_role;
grant select on table ops.release_gates to authenticated, service_role;

alter table ops.evidence enable row level security;
create policy "members read their project's evidence" on ops.evidence for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts evidence directly; the ops functions do" on ops.evidence
  for insert to authenticated with check (false);
create policy "nobody updates evidence directly; the ops functions do" on ops.evidence
  for update to authenticated using (false) with check (false);
create policy "nobody deletes evidence; the record is permanent" on ops.evidence
  for delete to authenticated using (false);
revoke all on table ops.evidence from public, anon, authenticated, service_role;
grant select on table ops.evidence to authenticated, service_role;

alter table ops.approvals enable row level security;
create policy "members read their project's approvals" on ops.approvals for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts approvals directly; the ops functions do" on ops.approvals
  for insert to authenticated with check (false);
create policy "nobody updates approvals directly; the ops functions do" on ops.approvals
  for update to authenticated using (false) with check (false);
create policy "nobody deletes approvals; the record is permanent" on ops.approvals
  for delete to authenticated using (false);
revoke all on table ops.approvals from public, anon, authenticated, service_role;
grant select on table ops.approvals to authenticated, service_role;

alter table ops.deployments enable row level security;
create policy "members read their project's deployments" on ops.deployments for select to authenticated
  using (ops.member_role(project_id) is not null);
create policy "nobody inserts deployments directly; the ops functions do" on ops.deployments
  for insert to authenticated with check (false);
create policy "nobody updates deployments directly; the ops functions do" on ops.deployments
  for update to authenticated using (false) with check (false);
create policy "nobody deletes deployments; the record is permanent" on ops.deployments
  for delete to authenticated using (false);
revoke all on table ops.deployments from public, anon, authenticated, service_role;
grant select on table ops.deployments to authenticated, service_role;

-- Privileges, explicitly: PostgreSQL lets PUBLIC execute every new function, so each is revoked from
-- PUBLIC and granted to the API roles that call it.
-- Facts only automation records (builds, from CI) are the service role's.
revoke execute on function
  ops.build_stage(uuid), ops.checks_pass(jsonb, text[]),
  ops.store_build(ops.projects, text, text, text, text, text, jsonb, timestamp with time zone, text, text, text),
  ops.record_build(text, text, text, text, text, text, jsonb, timestamp with time zone, text, text),
  ops.g1_build_evidence(uuid), ops.pending_builds(), ops.release_json(ops.releases),
  ops.last_production_deployment(uuid), ops.gate_signature(uuid, text), ops.gate_outcome(uuid, text),
  ops.present_evidence(ops.releases, text), ops.missing_evidence(ops.releases, text), ops.next_gate(uuid),
  ops.blocking_gates(uuid, text), ops.lock_release(uuid, text), ops.require_undecided(ops.releases, text),
  ops.require_gate(text),
  ops.add_evidence(ops.releases, text, text, text, text, text), ops.create_release(text, text, text),
  ops.attach_evidence(text, text, text, text, text, text, text), ops.sign_gate(text, text, text, jsonb),
  ops.approve_release(text, text, text), ops.reject_release(text, text, text),
  ops.record_deployment(text, text, text, text), ops.record_deployment_run(text, text, text, text, text),
  ops.record_rollback(text, text, text, text), ops.release_status(text, text), ops.catalog(text[])
from public;
grant execute on function
  ops.build_stage(uuid), ops.checks_pass(jsonb, text[]), ops.release_json(ops.releases),
  ops.last_production_deployment(uuid), ops.gate_signature(uuid, text), ops.gate_outcome(uuid, text),
  ops.present_evidence(ops.releases, text), ops.missing_evidence(ops.releases, text), ops.next_gate(uuid),
  ops.blocking_gates(uuid, text), ops.create_release(text, text, text),
  ops.attach_evidence(text, text, text, text, text, text, text), ops.sign_gate(text, text, text, jsonb),
  ops.approve_release(text, text, text), ops.reject_release(text, text, text),
  ops.record_deployment(text, text, text, text), ops.record_deployment_run(text, text, text, text, text),
  ops.release_status(text, text), ops.catalog(text[])
to authenticated, service_role;
grant execute on function
  ops.record_rollback(text, text, text, text)
to authenticated;
grant execute on function
  ops.record_build(text, text, text, text, text, text, jsonb, timestamp with time zone, text, text),
  ops.pending_builds()
to service_role;
