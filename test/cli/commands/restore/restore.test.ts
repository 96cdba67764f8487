import { describe, expect, it } from "vitest";
import { accessCli, SSH_OPTIONS } from "../../../controlplane/support/access-cli.ts";
import { BRANCHES, PEOPLE } from "../../../controlplane/support/fixtures.ts";

/** `odooops restore` against a real control plane, with ssh replaced by a recording spawner. */
const BACKUP = "acme_erp/20261123T020000Z-scheduled";

describe("odooops restore", () => {
  const cli = accessCli();
  const { spawn, odooops } = cli;

  async function events(prefix: string) {
    const all = await cli.h.as("service").auditEvents({ project: "acme-erp", limit: 1000 });
    return all.filter((e) => e.action.startsWith(prefix));
  }
  const lastAccess = async () => {
    const e = (await events("access.")).at(-1)!;
    return { action: e.action, actor: e.actor, what: e.details.action, reason: e.details.reason };
  };

  async function request(who = "sre-sam", backup = BACKUP): Promise<string> {
    const made = await odooops(
      "restore",
      "request",
      "acme-erp",
      "main",
      "--backup",
      backup,
      "--reason",
      "invoices lost in a bad import",
      "--as",
      who,
      "--json",
    );
    expect(made.code, made.err).toBe(0);
    return (JSON.parse(made.out) as { id: string }).id;
  }

  it("refuses a production restore without an approved request, runs nothing and audits it", async () => {
    const refused = await odooops("restore", "acme-erp", "main", "--backup", BACKUP, "--as", "sre-sam");
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("backup.restore refused in production (recorded in the audit trail)");
    expect(refused.err).toContain("needs a restore request approved by a release manager");
    expect(spawn).not.toHaveBeenCalled();
    expect(await lastAccess()).toMatchObject({ action: "access.refused", actor: "sre-sam" });
    // ops.request_access is no way around it.
    const direct = await cli.h
      .as(PEOPLE.sre)
      .requestAccess({ project: "acme-erp", branch: "main", action: "backup.restore" });
    expect(direct).toMatchObject({ allowed: false, action: "backup.restore", stage: "production" });
  });

  it("an SRE requests, the requester cannot approve, a release manager does; the restore runs once", async () => {
    const id = await request();
    const unapproved = await odooops("restore", "acme-erp", "main", "--request", id, "--as", "sre-sam");
    expect(unapproved.code).toBe(1);
    expect(unapproved.err).toContain(`restore request ${id} has not been approved`);

    const own = await odooops("restore", "approve", id, "--as", "sre-sam");
    expect(own.code).toBe(1);
    expect(own.err).toContain("sre may not restore.approve in production");
    const dev = await odooops("restore", "approve", id, "--as", "dev-dan");
    expect(dev.code).toBe(1);
    const approved = await odooops("restore", "approve", id, "--as", "rm-ben");
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toContain(`approved by rm-ben`);
    expect((await odooops("restore", "approve", id, "--as", "rm-chloe")).err).toContain("already approved");

    // A developer holding the id gets nothing: decision rights come first.
    const developer = await odooops("restore", "acme-erp", "main", "--request", id, "--as", "dev-dan");
    expect(developer.code).toBe(1);
    expect(developer.err).toContain("developer may not backup.restore in production");

    // Nor does another SRE: the approval vouched for the requester's reason.
    const colleague = await odooops("restore", "acme-erp", "main", "--request", id, "--as", "sre-sol");
    expect(colleague.code).toBe(1);
    expect(colleague.err).toContain(
      `restore request ${id} is sre-sam's: only the SRE who made it may use it`,
    );

    spawn.mockResolvedValueOnce(0);
    const ran = await odooops("restore", "acme-erp", "main", "--request", id, "--as", "sre-sam");
    expect(ran.code, ran.err).toBe(0);
    expect(ran.err).toContain(
      `access granted and recorded: sre may backup.restore in production: request ${id}`,
    );
    expect(spawn).toHaveBeenCalledExactlyOnceWith([
      "ssh",
      ...SSH_OPTIONS,
      "root@acme-erp.odooops.example",
      ..."docker exec odooops-agent odooops agent restore --db-url-env ODOOOPS_DB_URL --force-disconnect".split(
        " ",
      ),
      "--backup",
      BACKUP,
    ]);
    expect(await lastAccess()).toMatchObject({ action: "access.granted", actor: "sre-sam" });
    const trail = (await events("restore.")).map((e) => [e.action, e.actor]);
    expect(trail.slice(-3)).toEqual([
      ["restore.requested", "sre-sam"],
      ["restore.approved", "rm-ben"],
      ["restore.consumed", "sre-sam"],
    ]);

    const again = await odooops("restore", "acme-erp", "main", "--request", id, "--as", "sre-sam", "--print");
    expect(again).toMatchObject({ code: 1, out: "" });
    expect(again.err).toContain(`restore request ${id} was already used by sre-sam`);
    expect(spawn).toHaveBeenCalledTimes(1);
    expect(await lastAccess()).toMatchObject({ action: "access.refused", actor: "sre-sam" });
  });

  it("refuses an expired request and one used for another backup", async () => {
    const other = await request();
    await odooops("restore", "approve", other, "--as", "rm-chloe");
    const wrong = await odooops(
      "restore",
      "acme-erp",
      "main",
      "--request",
      other,
      "--backup",
      "acme_erp/20261122T020000Z-scheduled",
      "--as",
      "sre-sam",
      "--print",
    );
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(`is for backup ${BACKUP}, not acme_erp/20261122T020000Z-scheduled`);
    // The same request, with its own backup, still works: a refusal consumes nothing.
    const right = await odooops(
      "restore",
      "acme-erp",
      "main",
      "--request",
      other,
      "--as",
      "sre-sam",
      "--print",
    );
    expect(right.code, right.err).toBe(0);
    expect(right.out).toMatch(
      /docker exec odooops-agent odooops agent restore .* --backup acme_erp\/20261123T020000Z-scheduled$/,
    );

    const id = await request("sre-sol");
    await odooops("restore", "approve", id, "--as", "rm-ben");
    await cli.h.db.sql(
      "update ops.restore_requests set requested_at = now() - interval '3 hours', expires_at = now() - interval '1 hour' where id = $1",
      [id],
    );
    const expired = await odooops("restore", "acme-erp", "main", "--request", id, "--as", "sre-sol");
    expect(expired.code).toBe(1);
    expect(expired.err).toContain(`restore request ${id} expired at`);
    const late = await request("sre-sol");
    await cli.h.db.sql(
      "update ops.restore_requests set requested_at = now() - interval '3 hours', expires_at = now() - interval '1 hour' where id = $1",
      [late],
    );
    const approveLate = await odooops("restore", "approve", late, "--as", "rm-ben");
    expect(approveLate.code).toBe(1);
    expect(approveLate.err).toContain("expired");
    expect(spawn).not.toHaveBeenCalled();
  });

  it("lists requests with their state, and a release manager rejects one: it is never approved or used", async () => {
    const rejected = await request();
    const pending = await request("sre-sol");
    const approved = await request();
    expect((await odooops("restore", "approve", approved, "--as", "rm-chloe")).code).toBe(0);

    const byRequester = await odooops("restore", "reject", rejected, "--reason", "no", "--as", "sre-sam");
    expect(byRequester.code).toBe(1);
    expect(byRequester.err).toContain("sre may not restore.approve in production");
    const noReason = await odooops("restore", "reject", rejected, "--reason", " ", "--as", "rm-ben");
    expect(noReason.code).toBe(2);
    const no = await odooops(
      "restore",
      "reject",
      rejected,
      "--reason",
      "restore into a copy first",
      "--as",
      "rm-ben",
    );
    expect(no.code, no.err).toBe(0);
    expect(no.out).toContain(`restore request ${rejected}:`);
    expect(no.out).toContain("rejected by rm-ben");
    expect(no.out).toContain(": restore into a copy first");

    const approve = await odooops("restore", "approve", rejected, "--as", "rm-chloe");
    expect(approve.code).toBe(1);
    expect(approve.err).toContain(
      `restore request ${rejected} was rejected by rm-ben: restore into a copy first`,
    );
    const use = await odooops("restore", "acme-erp", "main", "--request", rejected, "--as", "sre-sam");
    expect(use.code).toBe(1);
    expect(use.err).toContain(`restore request ${rejected} was rejected by rm-ben`);
    expect(spawn).not.toHaveBeenCalled();
    const trail = (await events("restore.")).map((e) => [e.action, e.actor, e.subject]);
    expect(trail.filter(([action]) => action === "restore.rejected")).toEqual([
      ["restore.rejected", "rm-ben", rejected],
    ]);

    const listed = await odooops("restore", "list", "acme-erp", "--json", "--as", "audit-dana");
    expect(listed.code, listed.err).toBe(0);
    const states = Object.fromEntries(
      (JSON.parse(listed.out) as { id: string; state: string }[]).map((r) => [r.id, r.state]),
    );
    expect(states).toMatchObject({ [rejected]: "rejected", [pending]: "pending", [approved]: "approved" });
    expect(new Set(Object.values(states))).toEqual(
      new Set(["pending", "approved", "rejected", "consumed", "expired"]),
    );

    const table = await odooops("restore", "list", "acme-erp", "--as", "rm-chloe");
    expect(table.code, table.err).toBe(0);
    const lines = table.out.split("\n");
    expect(lines[0]).toMatch(/^ID +BRANCH +BACKUP +REQUESTED BY +REQUESTED AT +STATE +APPROVER$/);
    const line = (id: string) => lines.find((l) => l.startsWith(id));
    expect(line(rejected)).toMatch(
      new RegExp(
        `^${rejected} +main +${BACKUP} +sre-sam +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC +rejected +rm-ben \\(rejected: restore into a copy first\\)$`,
      ),
    );
    expect(line(pending)).toMatch(/ sre-sol .* pending +-$/);
    expect(line(approved)).toMatch(/ approved +rm-chloe$/);

    const onlyPending = await odooops(
      "restore",
      "list",
      "acme-erp",
      "--state",
      "pending",
      "--json",
      "--as",
      "sre-sam",
    );
    expect((JSON.parse(onlyPending.out) as { id: string }[]).map((r) => r.id)).toEqual([pending]);
    const badState = await odooops("restore", "list", "acme-erp", "--state", "open", "--as", "sre-sam");
    expect(badState.code).toBe(2);
    expect(badState.err).toContain("--state: one of pending, approved, rejected, consumed, expired");
    const developer = await odooops("restore", "list", "acme-erp", "--as", "dev-dan");
    expect(developer).toMatchObject({ code: 0, out: "no restore requests you can see" });
  });

  it("refuses requests outside production and restores where the agent cannot, naming what is missing", async () => {
    const before = (await events("access.")).length;
    const staging = await odooops("restore", "acme-erp", BRANCHES.staging, "--as", "sre-sol");
    expect(staging.code).toBe(2);
    expect(staging.err).toContain(
      "the staging agent container holds no ODOOOPS_DB_URL, ODOOOPS_BACKUP_URL, ODOOOPS_FILESTORE_DIR",
    );
    const preview = await odooops("restore", "acme-erp", BRANCHES.development, "--as", "dev-dan");
    expect(preview.code).toBe(2);
    expect((await events("access.")).length).toBe(before);
    const req = await odooops(
      "restore",
      "request",
      "acme-erp",
      BRANCHES.staging,
      "--backup",
      BACKUP,
      "--reason",
      "x",
      "--as",
      "sre-sol",
    );
    expect(req.code).toBe(2);
    expect(req.err).toContain("only production restores are requested");
    const badName = await odooops("restore", "acme-erp", "main", "--backup", "$(reboot)", "--as", "sre-sam");
    expect(badName.code).toBe(2);
    expect(badName.err).toContain("--backup: must be a backup name");
    expect(spawn).not.toHaveBeenCalled();
  });
});
