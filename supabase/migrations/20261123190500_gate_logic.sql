-- Gate logic, the SQL twin of model/governance/gates.ts: exception activity, gate outcome, evidence present and
-- missing. Plain (security invoker) functions: inside write functions they see everything, inside read
-- functions they see what the caller's row-level security allows.

-- isExceptionActive: approved, by someone other than the requester, not expired (seed 001 FR-6).
create function ops.exception_is_active(p_exception ops.exceptions) returns boolean
language sql stable set search_path = pg_catalog, pg_temp as $$
  select p_exception.status = 'approved'
    and p_exception.decided_by is not null
    and p_exception.decided_by <> p_exception.requested_by
    and p_exception.expires_at > now()
$$;

create function ops.active_exception(p_release uuid, p_gate text) returns uuid
language sql stable set search_path = pg_catalog, pg_temp as $$
  select e.id from ops.exceptions e
  where e.release_id = p_release and p_gate = any (e.gates) and ops.exception_is_active(e)
  order by e.expires_at desc
  limit 1
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

-- G1 check status: every required check succeeded, and nothing failed or is pending.
create function ops.checks_pass(p_checks jsonb, p_required text[]) returns boolean
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select exists (select 1 from jsonb_each_text(p_checks))
    and not exists (select 1 from jsonb_each_text(p_checks) c where c.value <> 'success')
    and not exists (select 1 from unnest(p_required) r(name) where (p_checks ->> r.name) is distinct from 'success')
$$;

create function ops.release_json(p_release ops.releases) returns jsonb
language sql stable set search_path = pg_catalog, pg_temp as $$
  select jsonb_build_object('id', p_release.id, 'release', p_release.name, 'status', p_release.status,
    'createdBy', p_release.created_login, 'createdAt', p_release.created_at)
$$;
