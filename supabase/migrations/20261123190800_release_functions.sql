-- Releases and gates. Each function locks the release row first, so concurrent signatures, approvals
-- and exceptions on one release are serialized: a gate cannot pass twice or out of order.

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

-- gateBlockers: gates up to p_through that are neither passed nor excepted.
create function ops.blocking_gates(p_release uuid, p_through text) returns text[]
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(g.gate order by g.ord), '{}')
  from unnest(ops.gate_ids()) with ordinality as g(gate, ord)
  where g.ord <= array_position(ops.gate_ids(), p_through) and ops.gate_outcome(p_release, g.gate) = 'missing'
$$;
