-- Privileges, explicitly. PostgreSQL lets PUBLIC execute every new function; revoke that first, then
-- grant what each API role needs. anon gets nothing. Tables: read-only for members (RLS-scoped) and the
-- service role; writes only through the security-definer functions below.
revoke execute on all functions in schema ops from public;
revoke all on all tables in schema ops from public, anon, authenticated, service_role;
grant select on all tables in schema ops to authenticated, service_role;

-- No temporary objects for the API roles: a type, table or function planted in pg_temp is how a caller
-- gets code run by a security-definer function. Every ops function also names pg_temp last in its
-- search_path; this takes away the means as well. PUBLIC and, in case a platform granted it to them
-- directly, each API role.
do $$
begin
  execute format('revoke temporary on database %I from public, anon, authenticated, service_role',
    current_database());
end $$;

-- Called by RLS policies and security-invoker read functions, i.e. with the caller's privileges.
grant execute on function
  ops.member_role(uuid), ops.current_actor(uuid), ops.may_read_stage(uuid, text, text[]),
  ops.environment_stage(uuid), ops.build_stage(uuid), ops.project_id(text), ops.is_service(),
  ops.automation_refusal(text, text), ops.audit_read_actions(text, jsonb),
  ops.require_text(text, text, integer, boolean), ops.require_small_json(jsonb, text, integer),
  ops.member_roles(), ops.stages(), ops.actions(), ops.gate_ids(), ops.exception_statuses(),
  ops.release_statuses(), ops.automation_actions(), ops.access_actions(), ops.data_record_actions(),
  ops.allowed_roles(text, text), ops.role_may(text, text, text), ops.refusal_reason(text, text, text),
  ops.gate_required_evidence(text), ops.gate_name(text), ops.gate_stage(text, text),
  ops.exception_is_active(ops.exceptions), ops.active_exception(uuid, text), ops.gate_signature(uuid, text),
  ops.last_production_deployment(uuid), ops.gate_outcome(uuid, text),
  ops.present_evidence(ops.releases, text), ops.missing_evidence(ops.releases, text), ops.next_gate(uuid),
  ops.blocking_gates(uuid, text), ops.release_json(ops.releases), ops.exception_json(ops.exceptions),
  ops.checks_pass(jsonb, text[]), ops.backup_json(ops.backups)
to authenticated, service_role;

-- The client API: people (authenticated) and automation (service_role); each checks decision rights.
grant execute on function
  ops.create_release(text, text, text),
  ops.attach_evidence(text, text, text, text, text, text, text),
  ops.sign_gate(text, text, text, jsonb),
  ops.approve_release(text, text, text),
  ops.request_exception(text, text, text, text, text, text[], timestamptz, boolean),
  ops.approve_exception(uuid, text), ops.reject_exception(uuid, text),
  ops.record_deployment(text, text, text, text),
  ops.record_backup(text, text, text, text, text, timestamptz, timestamptz, bigint, text, jsonb),
  ops.record_restore_drill(uuid, text, jsonb, text, timestamptz, numeric),
  ops.request_access(text, text, text), ops.close_environment(text, text),
  ops.release_status(text, text), ops.audit_log(text, text, integer), ops.catalog(text[]),
  ops.can(text, text, text)
to authenticated, service_role;

-- Facts only automation records: projects and members (from projects/*.yaml) and builds (from CI).
grant execute on function
  ops.register_project(text, text, text[], jsonb), ops.set_member(text, uuid, text, text),
  ops.remove_member(text, uuid), ops.record_build(text, text, text, text, text, text, jsonb, timestamptz, text, text)
to service_role;
