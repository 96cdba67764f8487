import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../../../agent/pg/connection.ts";
import { main } from "../../../cli/main.ts";
import { neutralizeArgs } from "../../agent/clone-support.ts";
import { databaseExists, envVar, type OdooDb, odooDatabase, query, tempDir } from "../../agent/support.ts";
import { type OdooWeb, odooWeb } from "../../support/odoo-web.ts";
import { addons, fixtureModules, standinCommand } from "./support.ts";

/**
 * `odooops upgrade preview` end to end on a real PostgreSQL: a 17.0 production database (the Odoo
 * fixture plus an OCA module that has no 18.0 port and an in-house one), copied masked and neutralized,
 * upgraded by a stand-in for Odoo (test/fixtures/odoo-standin/odoo.ts: Odoo's command line and log
 * format on the real database; Odoo itself is not installed here), then tests and smoke tests against a
 * local server with Odoo's web routes (test/support/odoo-web.ts).
 */
let prod: OdooDb;
let sourceEnv: string;
let dir: { path: string; remove: () => void };
let web: OdooWeb;
const PASSWORD = "smoke-secret";

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, {
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
  });
  return { code, out, err };
}

beforeAll(async () => {
  delete process.env.ODOOOPS_DB_URL;
  prod = await odooDatabase("upg_prod", { partners: 60 });
  await query(
    prod.url,
    `insert into ir_module_module (name, state, latest_version, author) values
       ('mis_builder', 'installed', '17.0.1.0.1', 'ACSONE SA/NV, Odoo Community Association (OCA)'),
       ('ipai_finance', 'installed', '17.0.1.0.0', 'InsightPulse AI')`,
  );
  sourceEnv = envVar(prod.url, "UPG_SRC");
  dir = tempDir("upgrade");
  mkdirSync(join(dir.path, "projects"));
  writeFileSync(
    join(dir.path, "projects", "acme.yaml"),
    `name: acme\nrepo: acme/acme-odoo\nodoo: { version: "17.0" }\nenvironments:\n  production:\n    image: ghcr.io/acme/acme-odoo@sha256:${"a".repeat(64)}\npersonas:\n  release_manager: { users: [rm-ben] }\n`,
  );
  // The project's tests: pass only on a copy whose base module was migrated to 18.0.
  writeFileSync(
    join(dir.path, "tests.mjs"),
    `import pg from "${new URL("../../../node_modules/pg/lib/index.js", import.meta.url).pathname}";
     const c = new pg.Client({ database: process.env.ODOOOPS_DB }); await c.connect();
     const r = await c.query("select latest_version from ir_module_module where name = 'base'");
     await c.end(); process.exit(r.rows[0].latest_version.startsWith(process.env.EXPECT_MAJOR) ? 0 : 3);`,
  );
  writeFileSync(
    join(dir.path, "smoke.yaml"),
    "login: { user: admin, passwordEnv: UPG_SMOKE_PASSWORD }\nrpc:\n  - { model: res.partner, method: search_count, args: [[]] }\nurls:\n  - { path: /web/health }\n",
  );
  process.env.UPG_SMOKE_PASSWORD = PASSWORD;
  web = await odooWeb(withDatabase(prod.url, "postgres"), PASSWORD);
});
afterAll(async () => {
  await web?.close();
  await prod?.drop();
  dir?.remove();
});

const common = (out: string) => [
  "--root",
  dir.path,
  "--source-url-env",
  sourceEnv,
  "--out",
  out,
  ...neutralizeArgs.slice(1),
  "--tests",
  `${process.execPath} ${join(dir.path, "tests.mjs")}`,
  "--smoke",
  join(dir.path, "smoke.yaml"),
  "--smoke-url",
  web.url,
];

describe("odooops upgrade preview", () => {
  it("17.0 → 18.0: OpenUpgrade on a masked copy, the modules without a port, the log's errors and warnings, size, steps", async () => {
    process.env.EXPECT_MAJOR = "18.0.";
    const out = join(dir.path, "major");
    const odoo = standinCommand(addons(join(dir.path, "addons-18"), fixtureModules("18.0")));
    const run = await cli(
      "upgrade",
      "preview",
      "acme",
      "--to",
      "18.0",
      ...common(out),
      "--odoo",
      odoo,
      "--json",
    );
    expect(run.err).not.toMatch(/unexpected|Error:/);
    expect(run.code).toBe(1); // blocked: two modules have no 18.0 port
    const report = JSON.parse(readFileSync(join(out, "upgrade-report.json"), "utf8"));
    expect(report.candidate).toEqual({ kind: "major", from: "17.0", to: "18.0", steps: ["18.0"] });
    expect(report.clone).toMatchObject({ masked: true, neutralized: true });
    expect(report.verdict).toBe("blocked");
    const missing = Object.fromEntries(
      report.withoutPort.map((m: { module: string; detail: string }) => [m.module, m.detail]),
    );
    expect(missing.mis_builder).toMatch(/OCA\/mis-builder@18\.0 still holds 17\.0\.1\.0\.1/);
    expect(missing.ipai_finance).toMatch(/InsightPulse AI.*project's to make/);
    expect(missing.queue_job).toMatch(/OCA module the port list does not cover/);
    expect(missing.base).toBeUndefined();
    expect(report.portsReadAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(report.log.errors[0].message).toContain("Some modules are not loaded");
    expect(report.log.errors[0].message).toContain("ipai_finance");
    expect(report.log.warnings.map((w: { logger: string }) => w.logger)).toContain("OpenUpgrade");
    expect(report.log.steps).toEqual([
      { module: "base", version: "18.0.1.0", stage: "pre", script: "pre-migration" },
      { module: "base", version: "18.0.1.0", stage: "post", script: "post-migration" },
    ]);
    expect(report.sizeAfter).toBeGreaterThan(report.sizeBefore);
    expect(report.tests).toMatchObject({ ok: true });
    expect(report.smoke).toMatchObject({ ok: true, detail: "smoke tests: 6 passed" });
    expect(report.actions[0]).toMatch(/^port /);
    expect(report.actions.at(-1)).toMatch(/set odoo.version to 18.0/);
    const md = readFileSync(join(out, "upgrade-report.md"), "utf8");
    expect(md).toContain("verdict: **blocked**");
    expect(md).toContain("| mis_builder | oca |");
    expect(readFileSync(join(out, "migration.log"), "utf8")).toContain(
      "Running upgrade [>18.0.1.0] pre-migration",
    );
    // production untouched, the copy dropped
    expect(await query(prod.url, "select latest_version from ir_module_module where name = 'base'")).toEqual([
      { latest_version: "17.0.1.3" },
    ]);
    expect(await databaseExists(withDatabase(prod.url, "postgres"), report.clone.database)).toBe(false);
  });

  it("a new image: a module update, ready when everything loads and passes", async () => {
    process.env.EXPECT_MAJOR = "17.0.";
    const out = join(dir.path, "image");
    const modules = { ...fixtureModules("17.0"), mis_builder: "17.0.1.0.2", ipai_finance: "17.0.1.1.0" };
    const odoo = standinCommand(addons(join(dir.path, "addons-17"), modules));
    const image = `ghcr.io/acme/acme-odoo@sha256:${"b".repeat(64)}`;
    const run = await cli("upgrade", "preview", "acme", "--to", image, ...common(out), "--odoo", odoo);
    expect(run.err).not.toMatch(/unexpected/);
    expect(run.out).toMatch(
      /^upgrade preview image .*: ready; 0 module\(s\) without port, 0 error\(s\), 0 warning\(s\)/,
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "upgrade-report.json"), "utf8"));
    expect(report.runs).toEqual([expect.objectContaining({ name: "module update (-u all)", ok: true })]);
  });

  it("a failing migration script stops the run: the error with its traceback, no tests after it", async () => {
    const out = join(dir.path, "failing");
    const odoo = standinCommand(
      addons(
        join(dir.path, "addons-18-failing"),
        { ...fixtureModules("18.0"), mis_builder: "18.0.1.0.0", ipai_finance: "18.0.1.0.0" },
        ["ipai_finance"],
      ),
    );
    const run = await cli(
      "upgrade",
      "preview",
      "acme",
      "--to",
      "18.0",
      ...common(out),
      "--odoo",
      odoo,
      "--json",
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out);
    expect(report.runs[0]).toMatchObject({ name: "OpenUpgrade → 18.0", ok: false });
    expect(report.tests).toBeUndefined();
    expect(report.smoke).toBeUndefined();
    const error = report.log.errors.find((e: { logger: string }) => e.logger === "OpenUpgrade");
    expect(error).toMatchObject({ module: "ipai_finance" });
    expect(error.traceback.at(-1)).toMatch(/UndefinedColumn/);
    expect(report.actions.join("\n")).toMatch(/make OpenUpgrade → 18.0 succeed/);
  });

  it("refuses a version that is not later, a tag, and a jump OpenUpgrade has no branch for, in one line", async () => {
    const args = (to: string) => [
      "upgrade",
      "preview",
      "acme",
      "--to",
      to,
      ...common(join(dir.path, "x")),
      "--odoo",
      "odoo",
    ];
    const older = await cli(...args("16.0"));
    expect(older.code).toBe(2);
    expect(older.err.trim()).toBe(
      "odooops upgrade preview: --to 16.0: the project is on 17.0; a major upgrade goes to a later version (an image of 17.0 is named by its digest)",
    );
    const tag = await cli(...args("ghcr.io/acme/acme-odoo:18"));
    expect(tag.code).toBe(2);
    expect(tag.err).toMatch(/named by the tag "18"/);
    const far = await cli(...args("20.0"));
    expect(far.err).toMatch(/OpenUpgrade has no branch migrating to 20.0/);
  });
});
