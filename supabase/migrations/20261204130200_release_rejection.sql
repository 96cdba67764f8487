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
  if v_release.status <> 'candidate'
      or exists (select 1 from ops.approvals a where a.release_id = v_release.id and a.exception_id is null) then
    raise exception using errcode = 'OD004',
      message = pg_catalog.format('release %s has already been decided (%s)', p_release, v_release.status);
  end if;
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

revoke execute on function ops.reject_release(text, text, text) from public;
grant execute on function ops.reject_release(text, text, text) to authenticated, service_role;
