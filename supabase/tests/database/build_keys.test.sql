-- pgTAP: build keys, the app repositories' credential (anon key + a key bound to one project and its
-- stages) instead of the service-role key. Everything is rolled back.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(11);

reset role;
set local role service_role;
select set_config('request.jwt.claims', '{"role": "service_role"}', true);
select ops.register_project('tap-keys', 'insightpulseai/tap-keys', array['odooops/build'],
  '[{"match": "main", "stage": "production"}, {"match": "release/*", "stage": "staging"},
    {"match": "feature/*", "stage": "development"}]');
select ops.register_project('tap-other', 'insightpulseai/tap-other');
select ops.set_member('tap-keys', m.id::uuid, m.login, m.role) from (values
  ('20000000-0000-4000-8000-000000000001', 'keys-dev', 'developer'),
  ('20000000-0000-4000-8000-000000000002', 'keys-rm', 'release_manager')) as m(id, login, role);
select throws_ok($$ select ops.create_build_key('tap-keys', array['staging']) $$, '42501', null,
  'automation does not mint build keys');

reset role;
set local role authenticated;
select set_config('request.jwt.claims', '{"role": "authenticated", "sub": "20000000-0000-4000-8000-000000000001"}', true);
select throws_ok($$ select ops.create_build_key('tap-keys', array['development']) $$, '42501', null,
  'a developer does not mint build keys');
select set_config('request.jwt.claims', '{"role": "authenticated", "sub": "20000000-0000-4000-8000-000000000002"}', true);
select set_config('tap.key_id', k ->> 'id', true), set_config('tap.key', k ->> 'key', true)
from ops.create_build_key('tap-keys', array['staging'], 'tap staging') as k;
select matches(current_setting('tap.key'), '^odooops_bk_[A-Za-z0-9_-]{43}$', 'a release manager gets the key, once');

reset role;
select ok(not exists (select 1 from ops.build_keys k where to_jsonb(k)::text like '%' || current_setting('tap.key') || '%'),
  'the table holds no plaintext key');

reset role;
set local role anon;
select set_config('request.jwt.claims', '{"role": "anon"}', true);
select is(ops.record_build_with_key(current_setting('tap.key'), 'tap-keys', 'release/1', 'staging', 'b-1',
    'ghcr.io/insightpulseai/tap-keys@sha256:' || repeat('d', 64), 'abcdef1', '{"odooops/build": "success"}',
    now(), 'keys-dev', 'https://ci.example/runs/1') ->> 'stage',
  'staging', 'anon records a build of the key''s project and stage');
select throws_ok(format($$ select ops.record_build_with_key(%L, 'tap-keys', 'main', 'production', 'b-2',
    'ghcr.io/insightpulseai/tap-keys@sha256:' || repeat('d', 64), 'abcdef1') $$, current_setting('tap.key')),
  '42501', null, 'not in a stage the key is not for');
select throws_ok(format($$ select ops.record_build_with_key(%L, 'tap-other', 'release/1', 'staging', 'b-3',
    'ghcr.io/insightpulseai/tap-other@sha256:' || repeat('d', 64), 'abcdef1') $$, current_setting('tap.key')),
  '42501', null, 'not for another project');
select throws_ok($$ select ops.record_build('tap-keys', 'release/1', 'staging', 'b-4',
    'ghcr.io/insightpulseai/tap-keys@sha256:' || repeat('d', 64), 'abcdef1') $$,
  '42501', null, 'anon never reaches the service role''s record_build');
select throws_ok($$ select count(*) from ops.build_keys $$, '42501', null, 'anon reads no table');

reset role;
set local role authenticated;
select set_config('request.jwt.claims', '{"role": "authenticated", "sub": "20000000-0000-4000-8000-000000000002"}', true);
select ops.revoke_build_key(current_setting('tap.key_id')::uuid);
reset role;
set local role anon;
select set_config('request.jwt.claims', '{"role": "anon"}', true);
select throws_ok(format($$ select ops.record_build_with_key(%L, 'tap-keys', 'release/1', 'staging', 'b-5',
    'ghcr.io/insightpulseai/tap-keys@sha256:' || repeat('d', 64), 'abcdef1') $$, current_setting('tap.key')),
  '42501', null, 'a revoked key records nothing');

reset role;
select is((select array_agg(a.action || ' by ' || a.actor_login order by a.id) from ops.audit_events a
    join ops.projects p on p.id = a.project_id
    where p.name = 'tap-keys' and (a.action like 'build_key.%' or a.action = 'build.recorded')),
  array['build_key.created by keys-rm', 'build.recorded by build-key:' || current_setting('tap.key_id'),
    'build_key.revoked by keys-rm'],
  'creation, use and revocation are audited');

select * from finish();
rollback;
