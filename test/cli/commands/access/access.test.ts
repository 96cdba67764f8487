import { describe, expect, it } from "vitest";
import { accessCli, SSH_OPTIONS } from "../../../controlplane/support/access-cli.ts";
import { BRANCHES } from "../../../controlplane/support/fixtures.ts";

/** `odooops shell | logs` against a real control plane, with ssh replaced by a recording spawner. */

describe("odooops shell | logs", () => {
  const cli = accessCli();
  const { spawn, odooops } = cli;

  async function accessEvents() {
    const events = await cli.h.as("service").auditEvents({ project: "acme-erp", limit: 1000 });
    return events
      .filter((e) => e.action.startsWith("access."))
      .map((e) => ({ action: e.action, actor: e.actor, stage: e.stage, what: e.details.action }));
  }

  it("gives an sre an audited Odoo shell on production and exits with ssh's code", async () => {
    spawn.mockResolvedValueOnce(0).mockResolvedValueOnce(255);
    const shell = await odooops("shell", "acme-erp", BRANCHES.production, "--as", "sre-sam");
    expect(shell.code).toBe(0);
    expect(shell.err).toContain("access granted and recorded: sre may shell.open in production");
    expect(spawn).toHaveBeenCalledExactlyOnceWith([
      "ssh",
      "-t",
      ...SSH_OPTIONS,
      "root@acme-erp.odooops.example",
      ..."docker exec -it odoo-production odoo shell -c /etc/odoo/odoo.conf --no-http -d acme_erp".split(" "),
    ]);
    expect((await odooops("shell", "acme-erp", "main", "--as", "sre-sam")).code).toBe(255);
    expect((await accessEvents()).slice(-2)).toEqual([
      { action: "access.granted", actor: "sre-sam", stage: "production", what: "shell.open" },
      { action: "access.granted", actor: "sre-sam", stage: "production", what: "shell.open" },
    ]);
  });

  it("refuses a developer's production shell with the reason, runs nothing and audits the refusal", async () => {
    const refused = await odooops("shell", "acme-erp", "main", "--as", "dev-dan", "--print");
    expect(refused).toMatchObject({ code: 1, out: "" });
    expect(refused.err).toContain("developer may not shell.open in production");
    expect(spawn).not.toHaveBeenCalled();
    expect((await accessEvents()).at(-1)).toEqual({
      action: "access.refused",
      actor: "dev-dan",
      stage: "production",
      what: "shell.open",
    });
  });

  it("prints the command with --print, still audited: a developer's preview logs, a staging shell", async () => {
    const logs = await odooops(
      "logs",
      "acme-erp",
      BRANCHES.development,
      "--service",
      "mailpit",
      "--follow",
      "--since",
      "2d",
      "--tail",
      "100",
      "--print",
      "--as",
      "dev-dan",
    );
    expect(logs.code).toBe(0);
    expect(logs.out).toBe(
      `ssh ${SSH_OPTIONS.join(" ")} root@feature--invoice-ocr.acme-erp.dev.odooops.example ` +
        "docker logs --follow --since 48h --tail 100 mailpit-feature--invoice-ocr",
    );
    // The staging database is the one cloned for the branch's latest build (b-stag-1).
    const shell = await odooops("shell", "acme-erp", BRANCHES.staging, "--print", "--as", "sre-sol");
    expect(shell.code).toBe(0);
    expect(shell.out).toMatch(
      /^ssh -t .* root@release-2026-12-[0-9a-f]{8}\.acme-erp\.staging\.odooops\.example /,
    );
    expect(shell.out).toMatch(/ -d acme_erp_release_2026_12_[0-9a-f]{8}_b_stag_1$/);
    expect(spawn).not.toHaveBeenCalled();
    expect((await accessEvents()).slice(-2)).toEqual([
      { action: "access.granted", actor: "dev-dan", stage: "development", what: "logs.read" },
      { action: "access.granted", actor: "sre-sol", stage: "staging", what: "shell.open" },
    ]);
  });

  it("rejects what cannot be reached before asking for access, exit 2", async () => {
    const before = (await accessEvents()).length;
    const unknown = await odooops("shell", "nope", "main", "--as", "sre-sam");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no project "nope"');
    const noRule = await odooops("logs", "acme-erp", "docs/readme", "--as", "sre-sam");
    expect(noRule.code).toBe(2);
    expect(noRule.err).toContain("docs/readme matches no branch rule of acme-erp");
    const mailpit = await odooops("logs", "acme-erp", "main", "--service", "mailpit", "--as", "sre-sam");
    expect(mailpit.code).toBe(2);
    expect(mailpit.err).toContain("runs no mailpit");
    const since = await odooops("logs", "acme-erp", "main", "--since", "$(reboot)", "--as", "sre-sam");
    expect(since.code).toBe(2);
    expect(since.err).toContain("--since: must be");
    expect(spawn).not.toHaveBeenCalled();
    expect(await accessEvents()).toHaveLength(before);
  });

  it("grants nothing without a control plane to record it", async () => {
    process.env.ODOOOPS_CONTROL_PLANE_URL = "";
    try {
      const none = await odooops("shell", "acme-erp", "main", "--as", "sre-sam");
      expect(none.code).toBe(2);
      expect(none.err).toContain("no control plane configured: set ODOOOPS_CONTROL_PLANE_URL");
      expect(spawn).not.toHaveBeenCalled();
    } finally {
      process.env.ODOOOPS_CONTROL_PLANE_URL = cli.h.db.url;
    }
  });
});
