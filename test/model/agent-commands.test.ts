import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agentContainerCommand,
  createFreshDatabaseCommand,
  initDatabaseCommand,
  prepareStagingCommand,
  shellQuote,
} from "../../model/agent-commands.ts";

const sh = (script: string) => execFileSync("sh", ["-c", script], { encoding: "utf8" });

describe("commands run on hosts", () => {
  it("quote every word so the shell passes it through unchanged", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", minLength: 1 }).filter((s) => !s.includes("\0")),
        (word) => {
          expect(sh(`printf %s ${shellQuote(word)}`)).toBe(word);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("are valid shell", () => {
    const scripts = [
      createFreshDatabaseCommand({ database: "acme_release__v2_b_1", owner: "odoo_acme_release__v2" }),
      prepareStagingCommand({
        filestore: "/mnt/odooops/release--v2",
        strategy: "dump",
        targetDb: "acme_release__v2_b_1",
        neutralize: true,
        mask: "default",
        baseUrl: "https://release--v2.acme.staging.odooops.example",
        mailpitHost: "mailpit-release--v2",
      }),
      initDatabaseCommand({
        filestore: "/mnt/odooops/feature--x",
        database: "acme_feature__x",
        owner: "odoo_acme_feature__x",
        image: `ghcr.io/acme/acme@sha256:${"a".repeat(64)}`,
        odooVersion: "18.0",
        modules: ["base", "crm"],
        demo: true,
      }),
    ];
    for (const script of scripts) expect(() => execFileSync("sh", ["-n", "-c", script])).not.toThrow();
  });

  it("name secrets only by environment variable", () => {
    const script = createFreshDatabaseCommand({ database: "d", owner: "o" });
    expect(script).toContain('PGPASSWORD="$ODOOOPS_ADMIN_PASSWORD"');
    const prepare = prepareStagingCommand({
      filestore: "/f",
      strategy: "dump",
      targetDb: "d",
      neutralize: true,
      mask: "strict",
      baseUrl: "https://x.example",
      mailpitHost: "m",
    });
    expect(prepare).toContain("--source-url-env ODOOOPS_CLONE_SOURCE_URL");
    expect(prepare).toContain("--db-url-env ODOOOPS_DB_URL");
    expect(prepare).not.toMatch(/postgres(ql)?:\/\//);
  });

  it("run the backup and drill schedule only where one is given", () => {
    expect(agentContainerCommand(undefined)).toEqual(["odooops", "agent", "serve"]);
    const prod = agentContainerCommand({
      backupCron: "0 2 * * *",
      drillCron: "0 4 1 * *",
      retention: { daily: 7, weekly: 4, monthly: 3 },
    });
    expect(prod).toEqual(expect.arrayContaining(["--backup-cron", "0 2 * * *", "--keep-daily", "7"]));
  });
});
