-- pgTAP: sync from Git (`ops.sync_projects`), run by `supabase test db` (scripts/supabase-test-db.sh in
-- CI). One transaction for every project; members keyed by GitHub id; removals and renames audited.
begin;
create extension if not exists pgtap with schema extensions;
set local search_path = public, extensions;
select plan(7);

select set_config('request.jwt.claims', '{"role": "service_role"}', true);
set local role service_role;
select lives_ok($$ select ops.sync_projects('[{"name": "tap-sync", "repo": "insightpulseai/tap-sync",
    "requiredChecks": ["odooops/build"], "branchRules": [{"match": "main", "stage": "production"}],
    "members": [{"githubId": 71, "login": "sync-ana", "role": "qa_tester"},
                {"githubId": 72, "login": "sync-ben", "role": "release_manager"}]}]', 'aaaaaaa1') $$,
  'the service role syncs a project with its members');
select lives_ok($$ select ops.sync_projects('[{"name": "tap-sync", "repo": "insightpulseai/tap-sync",
    "requiredChecks": ["odooops/build"], "branchRules": [{"match": "main", "stage": "production"}],
    "members": [{"githubId": 71, "login": "sync-anna", "role": "qa_tester"}]}]', 'bbbbbbb2') $$,
  'a second sync renames one member and drops the other');
select throws_ok($$ select ops.sync_projects('[{"name": "tap-new", "repo": "insightpulseai/tap-new",
    "requiredChecks": [], "branchRules": [{"match": "main", "stage": "production"}], "members": []},
    {"name": "tap-bad", "repo": "insightpulseai/tap-bad", "requiredChecks": [], "branchRules": [{"match": "main", "stage": "production"}],
     "members": [{"githubId": 9, "login": "x", "role": "owner"}]}]', 'ccccccc3') $$,
  '22023', null, 'one bad member refuses the whole sync');
reset role;

select is((select array_agg(m.github_login || ':' || m.github_id order by m.github_id) from ops.members m
    join ops.projects p on p.id = m.project_id where p.name = 'tap-sync'),
  array['sync-anna:71'], 'members are keyed by GitHub id: a renamed login stays the same member');
select is((select count(*)::int from ops.projects where name = 'tap-new'), 0, 'nothing of a refused sync is applied');
select is((select e.details ->> 'commit' || ' removed ' || (e.details -> 'removed' ->> 0) from ops.audit_events e
    join ops.projects p on p.id = e.project_id where p.name = 'tap-sync' and e.action = 'project.synced'
    order by e.id desc limit 1), 'bbbbbbb2 removed sync-ben', 'the audit names the commit and who was removed');

select set_config('request.jwt.claims', '{"role": "authenticated", "sub": "10000000-0000-4000-8000-0000000000aa"}', true);
set local role authenticated;
select throws_ok($$ select ops.sync_projects('[]', 'ddddddd4') $$, '42501', null, 'a person may not sync');
reset role;

select * from finish();
rollback;
