import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findValues, sourcePii } from "./pii.ts";
import { agent, envVar, type OdooDb, odooDatabase, query, tableFingerprints } from "./support.ts";

const neutralizeArgs = ["--base-url", "https://feature-x.acme.dev.example.com", "--mailpit-host", "mailpit"];

let db: OdooDb;
let dbEnv: string;

beforeEach(async () => {
  delete process.env.ODOOOPS_PRODUCTION_DB_URL;
  delete process.env.ODOOOPS_STAGE;
  db = await odooDatabase("nm", { partners: 150 });
  dbEnv = envVar(db.url, "DB");
});
afterEach(async () => db.drop());

const markStaging = () =>
  query(db.url, "update ir_config_parameter set value = 'staging' where key = 'odooops.stage'");

describe("neutralize and mask refuse production", () => {
  it("refuses a database marked as production, changing nothing", async () => {
    const before = await tableFingerprints(db.url);
    for (const run of [
      await agent("neutralize", "--db-url-env", dbEnv, ...neutralizeArgs),
      await agent("mask", "--db-url-env", dbEnv, "--profile", "default"),
    ]) {
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/is marked as production \(odooops\.stage = production\).*Nothing was changed/);
    }
    expect(await tableFingerprints(db.url)).toEqual(before);
  });

  it("refuses the database ODOOOPS_PRODUCTION_DB_URL points at, even unmarked", async () => {
    await markStaging();
    process.env.ODOOOPS_PRODUCTION_DB_URL = db.url;
    const run = await agent("neutralize", "--db-url-env", dbEnv, ...neutralizeArgs);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/it is the database ODOOOPS_PRODUCTION_DB_URL points at/);
  });

  it("refuses a URL read from the production connection's variable", async () => {
    await markStaging();
    process.env.ODOOOPS_PRODUCTION_DB_URL = db.url.replace("127.0.0.1", "localhost");
    const run = await agent("mask", "--db-url-env", "ODOOOPS_PRODUCTION_DB_URL");
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/its URL comes from ODOOOPS_PRODUCTION_DB_URL/);
  });

  it("refuses to run on a production host", async () => {
    await markStaging();
    process.env.ODOOOPS_STAGE = "production";
    const run = await agent("neutralize", "--db-url-env", dbEnv, ...neutralizeArgs);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/runs on a production host/);
  });

  it("refuses an unmarked database unless its stage is stated, then writes the marker", async () => {
    await query(db.url, "delete from ir_config_parameter where key = 'odooops.stage'");
    const refused = await agent("neutralize", "--db-url-env", dbEnv, ...neutralizeArgs);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/has no odooops\.stage marker.*--assume-stage staging/);
    const run = await agent(
      "neutralize",
      "--db-url-env",
      dbEnv,
      ...neutralizeArgs,
      "--assume-stage",
      "development",
    );
    expect(run.code).toBe(0);
    expect(await query(db.url, "select value from ir_config_parameter where key = 'odooops.stage'")).toEqual([
      { value: "development" },
    ]);
  });
});

describe("mark: the stage marker the platform writes", () => {
  const marker = () => query(db.url, "select value from ir_config_parameter where key = 'odooops.stage'");

  it("relabels a fork of production only when told it is one, then neutralize runs", async () => {
    const plain = await agent("mark", "--db-url-env", dbEnv, "--stage", "staging");
    expect(plain.code).toBe(1);
    expect(plain.err).toMatch(/marked as production.*--fork-of-production.*Nothing was changed/);
    expect(await marker()).toEqual([{ value: "production" }]);
    const fork = await agent("mark", "--db-url-env", dbEnv, "--stage", "staging", "--fork-of-production");
    expect(fork.code).toBe(0);
    expect(await marker()).toEqual([{ value: "staging" }]);
    expect((await agent("neutralize", "--db-url-env", dbEnv, ...neutralizeArgs)).code).toBe(0);
  });

  it("never relabels a fork on a production host or through the production connection", async () => {
    const args = ["mark", "--db-url-env", dbEnv, "--stage", "staging", "--fork-of-production"];
    process.env.ODOOOPS_STAGE = "production";
    expect((await agent(...args)).err).toMatch(/runs on a production host/);
    delete process.env.ODOOOPS_STAGE;
    process.env.ODOOOPS_PRODUCTION_DB_URL = db.url;
    expect((await agent(...args)).err).toMatch(/ODOOOPS_PRODUCTION_DB_URL points at/);
    expect(await marker()).toEqual([{ value: "production" }]);
  });

  it("marks production at any time, since that only adds protection", async () => {
    await markStaging();
    process.env.ODOOOPS_STAGE = "production";
    expect((await agent("mark", "--db-url-env", dbEnv, "--stage", "production")).code).toBe(0);
    expect(await marker()).toEqual([{ value: "production" }]);
  });
});

describe("neutralize", () => {
  it("is all or nothing: a failing step rolls every step back", async () => {
    await markStaging();
    // A production trigger that refuses any change to carriers makes the delivery step fail.
    await query(
      db.url,
      `create function no_carrier_change() returns trigger language plpgsql as $$ begin raise exception 'carriers are locked'; end $$;
       create trigger lock_carriers before update on delivery_carrier for each row execute function no_carrier_change();`,
    );
    const before = await tableFingerprints(db.url);
    const run = await agent("neutralize", "--db-url-env", dbEnv, ...neutralizeArgs);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/carriers are locked/);
    expect(await tableFingerprints(db.url)).toEqual(before);
  });

  it("can be run twice: the second run changes no mail setup", async () => {
    await markStaging();
    expect((await agent("neutralize", "--db-url-env", dbEnv, ...neutralizeArgs)).code).toBe(0);
    expect(
      (await agent("neutralize", "--db-url-env", dbEnv, ...neutralizeArgs, "--mailpit-port", "2525")).code,
    ).toBe(0);
    expect(await query(db.url, "select smtp_host, smtp_port from ir_mail_server where active")).toEqual([
      { smtp_host: "mailpit", smtp_port: 2525 },
    ]);
  });

  it("keeps the scheduled actions the caller asks for", async () => {
    await markStaging();
    const run = await agent(
      "neutralize",
      "--db-url-env",
      dbEnv,
      ...neutralizeArgs,
      "--keep-cron",
      "mail.ir_cron_mail_scheduler_action",
    );
    expect(run.code).toBe(0);
    expect(await query(db.url, "select cron_name from ir_cron where active order by id")).toEqual([
      { cron_name: "Base: Auto-vacuum internal data" },
      { cron_name: "Mail: Email Queue Manager" },
    ]);
  });
});

describe("mask in place", () => {
  it("masks a copy so no source value is left, and is idempotent", async () => {
    await markStaging();
    const pii = await sourcePii(db.url);
    const run = await agent("mask", "--db-url-env", dbEnv, "--profile", "default", "--json", "--quiet");
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).scan.leaks).toEqual([]);
    expect(await findValues(db.url, pii)).toEqual([]);
    expect(await query(db.url, "select nspname from pg_namespace where nspname like 'odooops%'")).toEqual([]);
    const again = await agent("mask", "--db-url-env", dbEnv, "--profile", "default");
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/already masked with profile default/);
  });

  it("rolls everything back when the leak scan finds a source value", async () => {
    await markStaging();
    await query(
      db.url,
      "create table x_export (id serial primary key, line text); insert into x_export (line) select phone from res_partner where id > 100 limit 5",
    );
    const before = await tableFingerprints(db.url);
    const run = await agent("mask", "--db-url-env", dbEnv, "--profile", "default");
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/x_export\.line \(5 cells.*the database was left as it was/);
    expect(await tableFingerprints(db.url)).toEqual(before);
  });

  it("rejects a malformed --extra column before touching anything", async () => {
    await markStaging();
    const run = await agent("mask", "--db-url-env", dbEnv, "--extra", "res_partner");
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/--extra res_partner: "res_partner" is not table.column/);
  });
});
