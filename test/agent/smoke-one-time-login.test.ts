import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withDatabase } from "../../agent/pg/connection.ts";
import { type OdooWeb, odooWeb } from "../support/odoo-web.ts";
import { agent, envVar, type OdooDb, odooDatabase, query } from "./support.ts";

/**
 * A staging build's smoke tests log in with a one-time password: the masked copy has no password anyone
 * knows. The local Odoo web stand-in checks the password against res_users.password with passlib's
 * pbkdf2_sha512, as Odoo's res_users._check_credentials does.
 */
let db: OdooDb;
let web: OdooWeb;
let dbVar: string;
const PREVIOUS = "$pbkdf2-sha512$600000$previous$hash";
const CONFIG = "login: { user: admin }\nmenus: false\nurls:\n  - { path: /web/health }\n";

const adminHash = async () =>
  (
    await query<{ password: string | null }>(db.url, "select password from res_users where login = 'admin'")
  )[0]?.password;
const mark = (stage: string) =>
  query(
    db.url,
    `insert into ir_config_parameter (key, value, create_date, write_date) values ('odooops.stage', $1, now(), now())
     on conflict (key) do update set value = excluded.value`,
    [stage],
  );
const smoke = (...extra: string[]) =>
  agent(
    "smoke",
    "--config-env",
    envVar(CONFIG, "SMOKE_CONFIG"),
    "--url",
    web.url,
    "--db",
    db.name,
    "--json",
    ...extra,
  );

beforeAll(async () => {
  db = await odooDatabase("smokeotl", { partners: 3 });
  web = await odooWeb(withDatabase(db.url, "postgres"), "stored-hash");
  dbVar = envVar(db.url, "SMOKE_DB");
});
afterAll(async () => {
  await web?.close();
  await db?.drop();
});
beforeEach(async () => {
  await query(db.url, "update res_users set password = $1 where login = 'admin'", [PREVIOUS]);
  await mark("staging");
});

describe("odooops agent smoke --one-time-login-db-url-env", () => {
  it("logs in with a password that exists only for the run, then puts the user's hash back", async () => {
    const run = await smoke("--one-time-login-db-url-env", dbVar);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ ok: true, summary: "smoke tests: 2 passed" });
    expect(await adminHash()).toBe(PREVIOUS);
  });

  it("without it, a file naming no password variable is refused before anything runs", async () => {
    const run = await smoke();
    expect(run.code).toBe(2);
    expect(run.err).toContain("name no login.passwordEnv");
  });

  it("refuses a database marked production and leaves its passwords alone", async () => {
    await mark("production");
    const run = await smoke("--one-time-login-db-url-env", dbVar);
    expect(run.code).toBe(1);
    expect(run.err).toContain("refusing to smoke (one-time login)");
    expect(run.err).toContain("marked as production");
    expect(await adminHash()).toBe(PREVIOUS);
  });

  it("names a smoke user that does not exist", async () => {
    const run = await agent(
      "smoke",
      "--config-env",
      envVar("login: { user: nobody }\nmenus: false\n", "SMOKE_CONFIG"),
      "--url",
      web.url,
      "--db",
      db.name,
      "--one-time-login-db-url-env",
      dbVar,
    );
    expect(run.code).toBe(1);
    expect(run.err).toContain(`no active user "nobody" in ${db.name}`);
  });

  it("waits for /web/health, and says so when it never answers", async () => {
    const run = await agent(
      "smoke",
      "--config-env",
      envVar(CONFIG, "SMOKE_CONFIG"),
      "--url",
      "http://127.0.0.1:9",
      "--db",
      db.name,
      "--one-time-login-db-url-env",
      dbVar,
      "--wait",
      "1",
    );
    expect(run.code).toBe(1);
    expect(run.err).toContain("http://127.0.0.1:9/web/health did not answer 200 within 1 s");
    expect(await adminHash()).toBe(PREVIOUS);
  });
});
