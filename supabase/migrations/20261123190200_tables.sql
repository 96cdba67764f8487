-- The control-plane tables. Rows are written only by the security-definer functions of later
-- migrations; members read them through row-level security (the *_row_level_security migration).
-- Nothing is ever deleted: the audit trail references every project. Times default to
-- clock_timestamp(), not the transaction's start: taken after a function has waited for its lock on the
-- release, they order signatures, evidence and deployments as they really happened.

create table ops.projects (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (name ~ '^[a-z][a-z0-9-]{0,28}[a-z0-9]$'),
  repo text not null check (repo ~ '^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$'),
  -- G1: the status checks that must succeed (governance.requiredChecks in projects/<name>.yaml).
  required_checks text[] not null default '{}',
  -- Branch rules of projects/<name>.yaml, in order ([{match, stage}], first match wins): the only source
  -- of a branch's stage. A build never chooses or changes it (ops.store_build).
  branch_rules jsonb not null default '[]' check (jsonb_typeof(branch_rules) = 'array'),
  created_at timestamptz not null default clock_timestamp()
);

-- One persona per person per project (projects/<name>.yaml `personas`); user_id is the Supabase user.
create table ops.members (
  project_id uuid not null references ops.projects (id),
  user_id uuid not null,
  github_login text not null check (github_login ~ '^[A-Za-z0-9][A-Za-z0-9-]{0,38}$'),
  role text not null check (role = any (ops.member_roles())),
  added_at timestamptz not null default clock_timestamp(),
  primary key (project_id, user_id),
  unique (project_id, github_login)
);
create index members_user_idx on ops.members (user_id);

-- One environment per live branch; its stage comes from the project's branch rules.
create table ops.environments (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  branch text not null check (length(branch) between 1 and 255),
  stage text not null check (stage = any (ops.stages())),
  status text not null default 'live' check (status in ('live', 'closed')),
  opened_at timestamptz not null default clock_timestamp(),
  closed_at timestamptz,
  unique (project_id, branch)
);

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

-- Seed 001 FR-6: type, rationale, accountable approver, risk, expiry, impacted gates, review requirement.
create table ops.exceptions (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  release_id uuid not null references ops.releases (id),
  type text not null check (type ~ '^[a-z][a-z0-9_]{2,40}$'),
  rationale text not null check (length(btrim(rationale)) >= 10),
  risk text not null check (length(btrim(risk)) >= 10),
  gates text[] not null check (cardinality(gates) between 1 and 4 and gates <@ ops.gate_ids()),
  expires_at timestamptz not null,
  review_required boolean not null,
  status text not null default 'requested' check (status = any (ops.exception_statuses())),
  requested_by uuid not null,
  requested_login text not null,
  requested_at timestamptz not null default clock_timestamp(),
  decided_by uuid,
  decided_login text,
  decided_at timestamptz,
  check (expires_at > requested_at),
  check (status = 'requested' or (decided_by is not null and decided_at is not null)),
  -- The approver is never the requester (FR-6), whatever writes the row.
  check (decided_by is null or decided_by <> requested_by)
);
create index exceptions_release_idx on ops.exceptions (release_id);

-- Every signature of a gate, append-only (the *_audit migration refuses UPDATE and DELETE): a gate whose
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
  -- Set when the gate passed without its evidence, covered by this exception.
  exception_id uuid references ops.exceptions (id),
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
  exception_id uuid references ops.exceptions (id),
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
  deployed_at timestamptz not null default clock_timestamp()
);
create index deployments_release_idx on ops.deployments (release_id, deployed_at desc);

create table ops.backups (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  environment_id uuid not null references ops.environments (id),
  kind text not null check (kind in ('scheduled', 'manual', 'pre_deploy')),
  status text not null check (status in ('succeeded', 'failed')),
  location text not null check (location ~ '^[a-z][a-z0-9+.-]*://[^[:space:]]+$'),
  size_bytes bigint check (size_bytes >= 0),
  sha256 text check (sha256 ~ '^[a-f0-9]{64}$'),
  details jsonb not null default '{}' check (jsonb_typeof(details) = 'object'),
  started_at timestamptz not null,
  finished_at timestamptz not null check (finished_at >= started_at),
  recorded_by uuid,
  recorded_login text not null,
  recorded_at timestamptz not null default clock_timestamp()
);
create index backups_environment_idx on ops.backups (environment_id, finished_at desc);

-- Seed 001 FR-5: drill log, restore result, success criteria met.
create table ops.restore_drills (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references ops.projects (id),
  environment_id uuid not null references ops.environments (id),
  backup_id uuid not null references ops.backups (id),
  result text not null check (result in ('passed', 'failed')),
  criteria jsonb not null check (jsonb_typeof(criteria) = 'object'),
  log_uri text not null check (log_uri ~ '^[a-z][a-z0-9+.-]*://[^[:space:]]+$'),
  duration_seconds numeric check (duration_seconds >= 0),
  drilled_at timestamptz not null,
  recorded_by uuid,
  recorded_login text not null,
  recorded_at timestamptz not null default clock_timestamp()
);

-- Append-only (see the *_audit migration): every governance change and every access decision.
create table ops.audit_events (
  id bigint generated always as identity primary key,
  project_id uuid not null references ops.projects (id),
  occurred_at timestamptz not null default clock_timestamp(),
  actor uuid,
  actor_login text not null,
  actor_role text not null,
  action text not null,
  stage text check (stage = any (ops.stages())),
  release_id uuid references ops.releases (id),
  subject_id text,
  details jsonb not null default '{}'
);
create index audit_events_project_idx on ops.audit_events (project_id, id desc);
create index audit_events_release_idx on ops.audit_events (release_id, id) where release_id is not null;
