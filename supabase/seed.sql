-- Local development data (`supabase start`, `supabase db reset`, `odooops control-plane up`): the example
-- projects of examples/projects/, their members keyed by GitHub id (examples/identities.example.json), the builds of examples/catalog.example.json and one release
-- candidate whose G1 CI has signed. Everything goes through the ops functions, as CI would call them:
-- the claims below are what PostgREST would set for the service role or for a signed-in member.
begin;

reset role;
set local role service_role;
select set_config('request.jwt.claims', '{"role": "service_role"}', true);

-- Projects, branch rules and members as `odooops control-plane sync` registers them from projects/*.yaml,
-- with the GitHub ids of examples/identities.example.json: a later sync finds the same members.
select ops.sync_projects($$[
  {"name": "acme-erp", "repo": "insightpulseai/acme-erp",
   "requiredChecks": ["odooops/build", "odooops/module-tests", "odooops/oca-lint"],
   "branchRules": [{"match": "main", "stage": "production"}, {"match": "release/*", "stage": "staging", "ttl": "14d"},
                   {"match": "hotfix/*", "stage": "staging", "ttl": "3d"}, {"match": "feature/**", "stage": "development", "ttl": "7d"}],
   "members": [{"githubId": 5001, "login": "dev-dan", "role": "developer"},
               {"githubId": 5002, "login": "dev-dora", "role": "developer"},
               {"githubId": 5003, "login": "qa-ana", "role": "qa_tester"},
               {"githubId": 5004, "login": "rm-ben", "role": "release_manager"},
               {"githubId": 5005, "login": "rm-chloe", "role": "release_manager"},
               {"githubId": 5006, "login": "sre-sam", "role": "sre"},
               {"githubId": 5007, "login": "audit-dana", "role": "auditor"}]},
  {"name": "hello", "repo": "insightpulseai/hello-odoo", "requiredChecks": ["odooops/build", "odooops/module-tests"],
   "branchRules": [{"match": "main", "stage": "production"}, {"match": "release/*", "stage": "staging"},
                   {"match": "feature/*", "stage": "development"}],
   "members": [{"githubId": 5004, "login": "rm-ben", "role": "release_manager"}]}
]$$::jsonb, '0000000');

select ops.record_build(project, branch, stage, build, image, commit_sha, checks::jsonb, built_at::timestamptz,
  'dev-dan', 'https://github.com/insightpulseai/' || project || '/actions/runs/' || build)
from (values
  ('acme-erp', 'main', 'production', 'b-0990',
   'ghcr.io/insightpulseai/acme-erp@sha256:d2836b7de9447c4aa93c2d1dc4328c156f36617d1f7dfd6b708f41e181b310b2',
   '0a1b2c3d4e5f', '{"odooops/build": "success", "odooops/module-tests": "success", "odooops/oca-lint": "success"}',
   '2026-11-01T08:00:00Z'),
  ('acme-erp', 'release/2026.12', 'staging', 'b-1042',
   'ghcr.io/insightpulseai/acme-erp@sha256:50e6ddfa038d7484bb3365f44b109a00ed3abedb7f7db7e61db9d8d2cfbdb029',
   '4f2a9c1e8b7d', '{"odooops/build": "success", "odooops/module-tests": "success", "odooops/oca-lint": "success"}',
   '2026-11-22T09:12:00Z'),
  ('acme-erp', 'feature/invoice-ocr', 'development', 'b-1044',
   'ghcr.io/insightpulseai/acme-erp@sha256:55e7246fc6dcdfe665fa48af87315ddbc0b77acaa6c4c8e87cfe5b2456023edf',
   '1b2c3d4e5f6a', '{}', '2026-11-21T16:03:00Z'),
  ('hello', 'feature/first-module', 'development', 'b-7',
   'ghcr.io/insightpulseai/hello-odoo@sha256:b87625a458c48de2fbb63ff9fb78a43c3d99dba83100e2c4e1ce6fc1c57fea2b',
   'aa11bb22cc33', '{}', '2026-11-23T06:00:00Z')
) as b(project, branch, stage, build, image, commit_sha, checks, built_at);

-- rm-ben opens the next release; CI signs its G1 from the build's log and checks.
-- The claims are computed by the seed's owner: ops.github_user_id is not callable by the API roles.
reset role;
select set_config('request.jwt.claims',
  jsonb_build_object('role', 'authenticated', 'sub', ops.github_user_id(5004))::text, true);
set local role authenticated;
select ops.create_release('acme-erp', 'r-2026.12', 'b-1042');
reset role;
set local role service_role;
select set_config('request.jwt.claims', '{"role": "service_role"}', true);
select ops.sign_gate('acme-erp', 'r-2026.12', 'G1');

commit;
