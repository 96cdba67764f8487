import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../../agent/pg/connection.ts";
import { type OdooWeb, odooWeb } from "../support/odoo-web.ts";
import { agent, type OdooDb, odooDatabase, tempDir } from "./support.ts";

/**
 * The staging build's smoke tests against a real local HTTP server with Odoo's web routes and JSON-RPC
 * shapes (test/support/odoo-web.ts), answering logins and counts from a real database.
 */
let db: OdooDb;
let web: OdooWeb;
let dir: { path: string; remove: () => void };
const file = (name: string, text: string) => {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
};
const smoke = (config: string, ...extra: string[]) =>
  agent("smoke", "--config", config, "--url", web.url, "--db", db.name, ...extra);

beforeAll(async () => {
  db = await odooDatabase("smoke", { partners: 5 });
  web = await odooWeb(withDatabase(db.url, "postgres"), "right");
  dir = tempDir("smoke");
  process.env.SMOKE_PW = "right";
});
afterAll(async () => {
  await web?.close();
  await db?.drop();
  dir?.remove();
});

describe("odooops agent smoke", () => {
  it("logs in, loads every app's action, the URLs and RPC calls; writes a G2 evidence candidate", async () => {
    const config = file(
      "ok.yaml",
      "login: { user: admin, passwordEnv: SMOKE_PW }\nurls:\n  - { path: /web/health, contains: pass }\nrpc:\n  - { model: res.partner, method: search_count, args: [[]] }\n",
    );
    const evidenceFile = join(dir.path, "evidence.json");
    const run = await smoke(config, "--evidence-file", evidenceFile);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toContain("ok   menu Contacts: ir.actions.act_window 101");
    const evidence = JSON.parse(readFileSync(evidenceFile, "utf8"));
    expect(evidence).toMatchObject({
      gate: "G2",
      kind: "test_evidence",
      ok: true,
      summary: "smoke tests: 6 passed",
    });
    const count = evidence.results.find((r: { name: string }) => r.name === "res.partner.search_count");
    expect(count.detail).toMatch(/^returned \d+$/);
  });

  it("lists every failure: an RPC Odoo refuses, a wrong status, an error in the log", async () => {
    const config = file(
      "bad.yaml",
      "login: { user: admin, passwordEnv: SMOKE_PW }\nmenus: false\nurls:\n  - { path: /web/nothing }\nrpc:\n  - { model: res.partner, method: explode }\n",
    );
    const logs = file("odoo.log", "2026-12-05 07:00:01,123 7 ERROR acme odoo.sql_db: bad query\n");
    const run = await smoke(config, "--logs", logs, "--json");
    expect(run.code).toBe(1);
    const evidence = JSON.parse(run.out);
    expect(evidence.summary).toBe(
      "smoke tests: 3 of 4 failed (GET /web/nothing, res.partner.explode, no error in the log)",
    );
    expect(evidence.results[2].detail).toBe(
      "/web/dataset/call_kw/res.partner/explode: The method 'explode' does not exist on the model 'res.partner'",
    );
  });

  it("stops at a refused login", async () => {
    process.env.SMOKE_WRONG = "wrong";
    const run = await smoke(
      file("login.yaml", "login: { user: admin, passwordEnv: SMOKE_WRONG }\n"),
      "--json",
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out).results).toEqual([
      { name: "log in as admin", ok: false, detail: "/web/session/authenticate: Access Denied" },
    ]);
  });

  it("refuses a bad file with file:line:col and the field path, and runs nothing", async () => {
    const config = file(
      "invalid.yaml",
      "login: { user: admin, passwordEnv: SMOKE_PW }\nurls:\n  - { path: web/health }\nrpcs: []\n",
    );
    const run = await smoke(config);
    expect(run.code).toBe(2);
    expect(run.err).toContain(`${config}:3:`);
    expect(run.err).toContain("urls[0].path");
    expect(run.err).toMatch(/rpcs/);
  });
});
