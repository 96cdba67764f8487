-- Read functions for the clients (supabase-js `rpc` and the pg adapter). Security invoker: they read
-- through the caller's row-level security, so a member sees exactly what the policies let them see.

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

-- The newest p_limit events (of a release, when given), oldest first.
create function ops.audit_log(p_project text, p_release text default null, p_limit integer default 100)
returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'occurredAt', t.occurred_at, 'actor', t.actor_login,
      'actorRole', t.actor_role, 'action', t.action, 'stage', t.stage, 'release', t.release_name,
      'subject', t.subject_id, 'details', t.details) order by t.id), '[]')
  from (
    select a.*, r.name as release_name from ops.audit_events a
    left join ops.releases r on r.id = a.release_id
    where a.project_id = ops.project_id(p_project) and (p_release is null or r.name = p_release)
    order by a.id desc
    limit greatest(1, least(coalesce(p_limit, 100), 10000))
  ) t
$$;

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

-- What authorize() in model/governance/decision-rights.ts answers for the caller, in a project and stage.
create function ops.can(p_project text, p_action text, p_stage text) returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select jsonb_build_object('role', a.role, 'allowed', case
      when a.role = 'service_role' then ops.automation_refusal(p_action, p_stage) is null
      else coalesce(ops.role_may(a.role, p_action, p_stage), false) end,
    'reason', case
      when a.role = 'service_role' then coalesce(ops.automation_refusal(p_action, p_stage),
        format('the service role may %s in %s', p_action, p_stage))
      when a.role is null then format('not a member of project %s', p_project)
      when ops.role_may(a.role, p_action, p_stage) then format('%s may %s in %s', a.role, p_action, p_stage)
      else ops.refusal_reason(a.role, p_action, p_stage) end)
  from ops.current_actor(ops.project_id(p_project)) a
$$;
