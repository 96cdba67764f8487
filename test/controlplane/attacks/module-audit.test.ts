import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgTransport } from "../../../controlplane/pg-adapter.ts";
import { moduleReaderGrants } from "../../../model/governance/module-audit.ts";
import { query } from "../../agent/support.ts";
import { loadOdooFixture } from "../../fixtures/odoo/fixture.ts";
import { runCli } from "../../support/cli.ts";
import { createTestDatabase } from "../../support/databases.ts";
import { refusal, seedProject } from "../support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "../support/harness.ts";

/**
 * The "module audit" agent flow end to end against a local control plane and a real Odoo-shaped database,
 * then attacked: its audit key opens an audit and files a report for its project and does nothing else;
 * its database login reads four columns of ir_module_module and nothing else.
 */
const project = "acme-erp";
let h: AdapterHarness;
let service: PgTransport;
let anon: PgTransport;
let odoo: { url: string; drop: () => Promise<void> };
let readerUrl: string;
let key: string;
let keyId: string;

async function run(environment: string, extraEnv: Record<string, string> = {}) {
  const env = {
    ODOOOPS_CONTROL_PLANE_URL: h.db.url,
    ODOOOPS_AUDIT_KEY: key,
    ODOOOPS_MODULES_DB_URL: readerUrl,
    ...extraEnv,
  };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await runCli("module-audit", environment, "--json");
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

beforeAll(async () => {
  h = await pgHarness();
  await seedProject(h.as("service"), project);
  await h.as("service").registerProject({ project: "other-erp", repo: "insightpulseai/other-erp" });
  service = new PgTransport({ connectionString: h.db.url });
  anon = new PgTransport({ connectionString: h.db.url, anonymous: true });
  const created = (await service.call("create_audit_key", {
    p_project: project,
    p_label: "module auditor",
  })) as { id: string; key: string };
  key = created.key;
  keyId = created.id;
  odoo = await createTestDatabase("module_audit");
  await loadOdooFixture(odoo.url, { partners: 5 });
  await query(
    odoo.url,
    `insert into ir_module_module (name, state, latest_version, author) values
    ('web_studio', 'installed', '18.0.1.0', 'Odoo S.A.'), ('acme_hack', 'installed', '18.0.1.0', 'Acme'),
    ('ipai_finance_ppm', 'installed', '18.0.1.0.0', 'InsightPulseAI'), ('acme_old', 'uninstalled', null, 'Acme')`,
  );
  const role = `auditor_${randomBytes(4).toString("hex")}`;
  await query(odoo.url, `create role ${role} login`);
  for (const sql of moduleReaderGrants(role)) await query(odoo.url, sql);
  readerUrl = odoo.url.replace("postgres@", `${role}@`);
}, 120_000);

afterAll(async () => {
  await Promise.all([service?.close(), anon?.close()]);
  await h?.close();
  await odoo?.drop();
});

describe("the module audit flow", () => {
  it("lists the installed modules, judges them and files the report; every step is audited", async () => {
    const result = await run("production");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      audit: string;
      project: string;
      modules: { name: string }[];
      findings: unknown[];
    };
    expect(report.project).toBe(project);
    expect(report.modules.map((m) => m.name)).toContain("ipai_finance_ppm");
    expect(report.modules.map((m) => m.name)).not.toContain("acme_old");
    expect(report.findings).toEqual([
      {
        module: "acme_hack",
        rule: "custom-prefix",
        message: "acme_hack (by Acme) is neither Odoo's nor OCA's and not named ipai_…",
      },
      { module: "web_studio", rule: "enterprise-module", message: "web_studio is an Odoo Enterprise module" },
    ]);
    const stored = await h.db.sql(
      "select environment, findings, report from ops.module_audits where id = $1",
      [report.audit],
    );
    expect(stored.rows[0]).toMatchObject({ environment: "production", findings: 2 });
    const audit = await h.db.sql(
      "select action, actor_login, actor_role from ops.audit_events where subject_id = $1 order by id",
      [report.audit],
    );
    expect(audit.rows).toEqual([
      {
        action: "module_audit.started",
        actor_login: "module-auditor:module auditor",
        actor_role: "module_auditor",
      },
      {
        action: "module_audit.filed",
        actor_login: "module-auditor:module auditor",
        actor_role: "module_auditor",
      },
    ]);
  });

  it("the audit key reaches no other function: no catalog, builds, backups, decisions or keys", async () => {
    await refusal(anon.call("catalog_with_key", { p_key: key }) as Promise<unknown>, "forbidden");
    for (const [fn, args] of [
      ["catalog_with_key", { p_key: key }],
      ["catalog", {}],
      ["can", { p_project: project, p_action: "shell", p_stage: "production" }],
      ["create_audit_key", { p_project: project, p_label: "mine" }],
      ["revoke_audit_key", { p_id: keyId }],
    ] as const) {
      const error = await anon.call(fn, args).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `${fn} answered the audit key`).toBeInstanceOf(Error);
    }
  });

  it("files only on an audit it opened, once, and a revoked key does nothing", async () => {
    const other = (await service.call("create_audit_key", { p_project: "other-erp", p_label: "other" })) as {
      key: string;
    };
    const opened = (await anon.call("begin_module_audit_with_key", {
      p_key: other.key,
      p_environment: "production",
    })) as { id: string };
    const report = { modules: [], findings: [] };
    await refusal(
      anon.call("file_module_audit_with_key", {
        p_key: key,
        p_audit: opened.id,
        p_report: report,
      }) as Promise<unknown>,
      "forbidden",
    );
    await anon.call("file_module_audit_with_key", { p_key: other.key, p_audit: opened.id, p_report: report });
    await refusal(
      anon.call("file_module_audit_with_key", {
        p_key: other.key,
        p_audit: opened.id,
        p_report: report,
      }) as Promise<unknown>,
      "forbidden",
    );
    await refusal(
      anon.call("file_module_audit_with_key", {
        p_key: other.key,
        p_audit: opened.id,
        p_report: { modules: "x" },
      }) as Promise<unknown>,
      "invalid_input",
    );
    await service.call("revoke_audit_key", { p_id: keyId });
    const revoked = await run("production");
    expect(revoked.code).toBe(2);
    expect(revoked.stderr).toContain("unknown or revoked audit key");
  });

  it("its database login reads the audited columns of ir_module_module and nothing else", async () => {
    expect((await query(readerUrl, "select name from ir_module_module limit 1")).length).toBe(1);
    for (const sql of [
      "select * from ir_module_module",
      "select email from res_partner",
      "select login, password from res_users",
      "update ir_module_module set state = 'to remove'",
      "create table stolen (x text)",
      "copy (select 1) to program 'id'",
    ])
      await expect(query(readerUrl, sql), sql).rejects.toThrow(
        /permission denied|read-only transaction|must be superuser/,
      );
  });
});
