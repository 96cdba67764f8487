-- pgTAP: the release-governance rules, run inside the database (`supabase test db` on a Supabase
-- project; test/controlplane/pgtap.test.ts locally when pgTAP is installed). Everything is rolled back.
-- Callers are switched the way PostgREST does it: `set local role` and request.jwt.claims.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(14);

-- automation registers a project, its people and a staging build with CI evidence
reset role;
set local role service_role;
select set_config('request.jwt.claims', '{"role": "service_role"}', true);
select ops.register_project('tap-erp', 'insightpulseai/tap-erp', array['odooops/build'],
  '[{"match": "main", "stage": "production"}, {"match": "release/*", "stage": "staging"}]');
select ops.set_member('tap-erp', m.id::uuid, m.login, m.role) from (values
  ('10000000-0000-4000-8000-000000000001', 'tap-dev', 'developer'),
  ('10000000-0000-4000-8000-000000000002', 'tap-qa', 'qa_tester'),
  ('10000000-0000-4000-8000-000000000003', 'tap-rm', 'release_manager'),
  ('10000000-0000-4000-8000-000000000004', 'tap-rm2', 'release_manager')) as m(id, login, role);
select ops.record_build('tap-erp', 'release/1', 'staging', 'b-1',
  'ghcr.io/insightpulseai/tap-erp@sha256:' || repeat('c', 64), 'abcdef1', '{"odooops/build": "success"}',
  now(), 'tap-dev', 'https://ci.example/runs/1');

select throws_ok($$ select ops.create_release('tap-erp', 'r-1', 'b-1') $$, '42501', null,
  'the service role does not create releases');

reset role;
set local role authenticated;
select set_config('request.jwt.claims', '{"role": "authenticated", "sub": "10000000-0000-4000-8000-000000000003"}', true);
select lives_ok($$ select ops.create_release('tap-erp', 'r-1', 'b-1') $$, 'a release manager creates a release');
select throws_ok($$ select ops.sign_gate('tap-erp', 'r-1', 'G2') $$, '42501', null,
  'a release manager does not sign G2');
select throws_ok($$ select ops.sign_gate('tap-erp', 'r-1', 'G3') $$, 'OD001', null, 'G3 waits for G1 and G2');
select is(ops.sign_gate('tap-erp', 'r-1', 'G1') ->> 'outcome', 'passed', 'G1 passes on the evidence CI recorded');
select throws_ok($$ select ops.sign_gate('tap-erp', 'r-1', 'G1') $$, 'OD004', null, 'a gate passes once');

select set_config('request.jwt.claims', '{"role": "authenticated", "sub": "10000000-0000-4000-8000-000000000002"}', true);
select throws_ok($$ select ops.sign_gate('tap-erp', 'r-1', 'G2') $$, 'OD002', null, 'G2 needs its evidence');
select is(ops.sign_gate('tap-erp', 'r-1', 'G2', '[
    {"kind": "acceptance_criteria_map", "uri": "https://qa.example/acm"},
    {"kind": "defect_register", "uri": "https://qa.example/defects"},
    {"kind": "test_evidence", "uri": "https://ci.example/runs/1/tests"}]') ->> 'nextGate',
  'G3', 'G2 passes with its evidence, attached in the same call');

select set_config('request.jwt.claims', '{"role": "authenticated", "sub": "10000000-0000-4000-8000-000000000001"}', true);
select isnt(ops.request_exception('tap-erp', 'r-1', 'missing_evidence', 'notes follow from the vendor',
  'users miss a notice for a day', array['G3'], now() + interval '1 day', true) ->> 'id', null,
  'a developer requests an exception for G3');
select throws_ok(
  format('select ops.approve_exception(%L)', (select id from ops.exceptions where type = 'missing_evidence')),
  '42501', null, 'developers do not approve exceptions in production');

select set_config('request.jwt.claims', '{"role": "authenticated", "sub": "10000000-0000-4000-8000-000000000003"}', true);
select throws_ok($$ select ops.approve_release('tap-erp', 'r-1') $$, 'OD007', null,
  'no promotion before G3');
select throws_ok($$ delete from ops.audit_events $$, '42501', null, 'members cannot delete audit events');
reset role;
select throws_ok($$ delete from ops.audit_events $$, 'OD010', null, 'nor can the owner: the trail is append-only');
select cmp_ok((select count(*) from ops.audit_events a join ops.projects p on p.id = a.project_id
  where p.name = 'tap-erp' and a.action = 'gate.passed'), '=', 2::bigint, 'each passed gate has its audit event');

select * from finish();
rollback;
