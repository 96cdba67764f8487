import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../../agent/pg/connection.ts";
import {
  asIs,
  type CloneSource,
  cloneArgv,
  cloneSource,
  maskedDefault,
  neutralizeArgs,
} from "./clone-support.ts";
import {
  agent,
  databaseExists,
  envVar,
  type OdooDb,
  odooDatabase,
  query,
  tableFingerprints,
} from "./support.ts";

/**
 * Copying a database for staging: exact, never over data, never into production, and discarded when the
 * leak scan finds a source value the masking missed.
 */
let h: CloneSource;
beforeAll(async () => {
  h = await cloneSource();
});
afterAll(() => h.close());

describe("clone", () => {
  it("copies every table exactly and never writes to the source", async () => {
    const before = await tableFingerprints(h.source.url);
    const copy = h.target("plain");
    const run = await agent(...cloneArgv(h.sourceEnv, copy.name), ...asIs, "--json", "--quiet");
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({
      target: copy.name,
      stage: "production",
      safety: "production to production: not masked or neutralized",
    });
    expect(await tableFingerprints(h.source.url)).toEqual(before);
    const after = await tableFingerprints(copy.url);
    const { ir_config_parameter: _c, ...rest } = after;
    const { ir_config_parameter: _s, ...sourceRest } = before;
    expect(rest).toEqual(sourceRest);
    expect(
      await query(copy.url, "select value from ir_config_parameter where key = 'odooops.stage'"),
    ).toEqual([{ value: "production" }]);
  });

  it("copies with parallel jobs too", async () => {
    const copy = h.target("jobs");
    const run = await agent(...cloneArgv(h.sourceEnv, copy.name), "--jobs", "2", ...asIs, "--quiet");
    expect(run.code).toBe(0);
    const { ir_config_parameter: _a, ...copied } = await tableFingerprints(copy.url);
    const { ir_config_parameter: _b, ...original } = await tableFingerprints(h.source.url);
    expect(copied).toEqual(original);
  });

  it("refuses a target that already holds data, and leaves it alone", async () => {
    const copy = h.target("busy");
    await query(withDatabase(h.source.url, "postgres"), `create database "${copy.name}"`);
    await query(copy.url, "create table precious (id int); insert into precious values (42)");
    const run = await agent(...cloneArgv(h.sourceEnv, copy.name), ...asIs);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/already holds data; a copy never overwrites a database/);
    expect(await query(copy.url, "select id from precious")).toEqual([{ id: 42 }]);
  });

  it("adopts an empty database provisioned for the build", async () => {
    const copy = h.target("empty");
    await query(withDatabase(h.source.url, "postgres"), `create database "${copy.name}"`);
    const run = await agent(...cloneArgv(h.sourceEnv, copy.name), ...asIs, "--quiet");
    expect(run.code).toBe(0);
    expect(await query(copy.url, "select count(*)::int as n from res_partner")).toEqual([{ n: 404 }]);
  });

  it("can be re-run after an interrupted clone: its own unfinished copy is replaced", async () => {
    const copy = h.target("rerun");
    const server = withDatabase(h.source.url, "postgres");
    await query(server, `create database "${copy.name}"`);
    await query(server, `comment on database "${copy.name}" is 'odooops:incomplete (created by odooops)'`);
    await query(copy.url, "create table res_partner (id int); insert into res_partner values (1)");
    const run = await agent(...cloneArgv(h.sourceEnv, copy.name), ...asIs, "--quiet");
    expect(run.code).toBe(0);
    expect(await query(copy.url, "select count(*)::int as n from res_partner")).toEqual([{ n: 404 }]);
    const [comment] = await query<{ c: string }>(
      server,
      "select shobj_description(oid, 'pg_database') as c from pg_database where datname = $1",
      [copy.name],
    );
    expect(comment!.c).toMatch(/^odooops: production copy of/);
  });

  it("refuses a staging or development copy that is not both masked and neutralized, before creating anything", async () => {
    for (const [stage, flags, missing] of [
      ["staging", [], /without --neutralize and --mask <profile>/],
      ["development", ["--mask", "default"], /without --neutralize: /],
      ["staging", neutralizeArgs, /without --mask <profile>: /],
    ] as const) {
      const copy = h.target(`unsafe_${stage}_${flags.length}`);
      const run = await agent(...cloneArgv(h.sourceEnv, copy.name), "--stage", stage, ...flags);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(missing);
      expect(run.err).toMatch(/Only a --stage production copy \(a migration\) is made as is/);
      expect(await databaseExists(withDatabase(h.source.url, "postgres"), copy.name)).toBe(false);
    }
  });

  it("never clones into the production database", async () => {
    const copy = h.target("prod");
    process.env.ODOOOPS_PRODUCTION_DB_URL = copy.url;
    try {
      const run = await agent(...cloneArgv(h.sourceEnv, copy.name));
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/it is the production database/);
      expect(await databaseExists(withDatabase(h.source.url, "postgres"), copy.name)).toBe(false);
    } finally {
      delete process.env.ODOOOPS_PRODUCTION_DB_URL;
    }
  });
});

describe("the leak scan", () => {
  let leaky: OdooDb;
  let leakyEnv: string;
  beforeAll(async () => {
    leaky = await odooDatabase("clone_leaky", { partners: 120 });
    // A custom module keeping its own copy of customers' addresses: the default profile knows nothing of it.
    await query(
      leaky.url,
      "create table x_customer_note (id serial primary key, note varchar); insert into x_customer_note (note) select email from res_partner where id > 100 limit 20",
    );
    leakyEnv = envVar(leaky.url, "LEAKY");
  });
  afterAll(async () => leaky.drop());

  it("fails the copy when a source value survives anywhere, and names the column", async () => {
    const copy = `${leaky.name}_m`;
    const run = await agent(...cloneArgv(leakyEnv, copy), ...maskedDefault, "--quiet");
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /masking check failed: .*x_customer_note\.note \(20 cells, e\.g\. id 1 "\w•+\.\w•+\.\d•*@m•+\.e•+"\); the copy was discarded/,
    );
    expect(run.err).not.toMatch(/@mail\.example/);
    expect(await databaseExists(withDatabase(leaky.url, "postgres"), copy)).toBe(false);
  });

  it("finds a source value copied whole, even one it never searches inside text (a cleared note)", async () => {
    // res_partner.comment is cleared, not searched for inside other text: only the whole-cell check sees
    // a custom module's verbatim copy of it.
    await query(
      leaky.url,
      "create table x_comment_copy (id serial primary key, memo text); insert into x_comment_copy (memo) select comment from res_partner where comment is not null",
    );
    const copy = `${leaky.name}_w`;
    try {
      const run = await agent(...cloneArgv(leakyEnv, copy), ...maskedDefault, "--quiet");
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/masking check failed: .*x_comment_copy\.memo \(4 cells, e\.g\. id 1\)/);
      expect(run.err).not.toMatch(/Prefers calls/);
    } finally {
      await query(leaky.url, "drop table x_comment_copy");
    }
  });

  it("passes once the column is masked too (--extra)", async () => {
    const copy = `${leaky.name}_n`;
    const run = await agent(
      ...cloneArgv(leakyEnv, copy),
      "--mask",
      "default",
      "--extra",
      "x_customer_note.note:email",
      ...neutralizeArgs,
      "--quiet",
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const copyUrl = withDatabase(leaky.url, copy);
    expect(
      await query(
        copyUrl,
        "select count(*)::int as n from x_customer_note where note like '%@masked.invalid'",
      ),
    ).toEqual([{ n: 20 }]);
    await query(withDatabase(leaky.url, "postgres"), `drop database "${copy}" with (force)`);
  });
});

describe("the leak scan's shortcut", () => {
  it("searches the masked columns too when a source value already looks like a mask", async () => {
    const odd = await odooDatabase("clone_odd", { partners: 40 });
    const copy = `${odd.name}_c`;
    try {
      await query(odd.url, "update res_partner set phone = '+999 0123456789' where id = 105");
      const run = await agent(
        "clone",
        "--source-url-env",
        envVar(odd.url, "ODD"),
        "--target-db",
        copy,
        ...maskedDefault,
        "--json",
        "--quiet",
      );
      expect(run.code).toBe(0);
      expect(JSON.parse(run.out).scan).toMatchObject({ columnsProvenMasked: 0, leaks: [] });
      const normal = await agent(
        ...cloneArgv(h.sourceEnv, h.target("shortcut").name),
        ...maskedDefault,
        "--json",
        "--quiet",
      );
      expect(JSON.parse(normal.out).scan.columnsProvenMasked).toBeGreaterThan(20);
    } finally {
      await query(withDatabase(odd.url, "postgres"), `drop database if exists "${copy}" with (force)`);
      await odd.drop();
    }
  });
});
