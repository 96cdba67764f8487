import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFilestore } from "../../agent/archive/filestore.ts";
import { withDatabase } from "../../agent/pg/connection.ts";
import { filestoreDigest, type ProductionWithBackups, productionWithBackups } from "./backup-support.ts";
import { findValues, sourcePii } from "./pii.ts";
import { agent, envVar, query, tableFingerprints } from "./support.ts";

/** Restoring production's backups from the bucket: round trip, swap, staging restores, build databases. */
let h: ProductionWithBackups;
beforeAll(async () => {
  h = await productionWithBackups("rs");
});
afterAll(() => h.close());

describe("restore", () => {
  it("round-trips: identical rows and checksums in every table, identical filestore", async () => {
    await h.backup();
    const restored = `${h.prod.name}_rt`;
    const restoredFiles = join(h.files.path, restored);
    const run = await h.restoreNewest(
      h.targetEnv(restored),
      "--filestore-dir",
      restoredFiles,
      "--json",
      "--quiet",
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ database: restored, verifiedBy: "sha256" });
    expect(await tableFingerprints(withDatabase(h.prod.url, restored))).toEqual(
      await tableFingerprints(h.prod.url),
    );
    expect(await filestoreDigest(restoredFiles)).toEqual(await filestoreDigest(h.filestore));
  });

  it("swaps the restored database in only at the end, keeping the one it replaced", async () => {
    const target = `${h.prod.name}_swap`;
    const env = h.targetEnv(target);
    expect((await h.restoreNewest(env, "--quiet")).code).toBe(0);
    await query(
      withDatabase(h.prod.url, target),
      "update res_partner set name = 'changed after restore' where id = 101",
    );
    const run = await h.restoreNewest(env, "--json", "--quiet");
    expect(run.code).toBe(0);
    const previous = JSON.parse(run.out).previous as string;
    h.cleanup.push(previous);
    expect(previous).toMatch(new RegExp(`^${target}__before_\\d{8}t\\d{6}z$`));
    expect(
      await query(withDatabase(h.prod.url, previous), "select name from res_partner where id = 101"),
    ).toEqual([{ name: "changed after restore" }]);
    expect(
      await query(withDatabase(h.prod.url, target), "select name from res_partner where id = 101"),
    ).not.toEqual([{ name: "changed after restore" }]);
  });

  it("neutralizes and masks a restore outside production", async () => {
    const target = `${h.prod.name}_stg`;
    const env = h.targetEnv(target);
    const refused = await h.restoreNewest(env, "--mask", "default");
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/need --stage staging or --stage development/);
    const run = await h.restoreNewest(
      env,
      "--stage",
      "staging",
      "--mask",
      "default",
      "--neutralize",
      "--base-url",
      "https://stg.example.com",
      "--mailpit-host",
      "mailpit",
      "--quiet",
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const url = withDatabase(h.prod.url, target);
    expect(await findValues(url, await sourcePii(h.prod.url))).toEqual([]);
    expect(await query(url, "select smtp_host from ir_mail_server where active")).toEqual([
      { smtp_host: "mailpit" },
    ]);
    expect(await query(url, "select value from ir_config_parameter where key = 'odooops.stage'")).toEqual([
      { value: "staging" },
    ]);
  });
});

describe("clone from a backup", () => {
  it("fills the build's empty database from production's newest backup, masked and neutralized, filestore included", async () => {
    await h.backup();
    const target = `${h.prod.name}_build`;
    h.cleanup.push(target);
    await query(h.server, `create database "${target}"`); // provisioned empty by the platform
    const targetFiles = join(h.files.path, target);
    const run = await agent(
      "clone",
      "--source-url-env",
      envVar(h.s3.location(), "CLONE_SOURCE"),
      "--target-db",
      target,
      "--target-url-env",
      envVar(withDatabase(h.prod.url, "postgres"), "STAGING_SERVER"),
      "--mask",
      "default",
      "--neutralize",
      "--base-url",
      "https://build.example.com",
      "--mailpit-host",
      "mailpit",
      "--filestore-dir",
      targetFiles,
      "--json",
      "--quiet",
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({
      target,
      stage: "staging",
      filestore: { files: (await listFilestore(h.filestore)).length },
    });
    const url = withDatabase(h.prod.url, target);
    expect(await findValues(url, await sourcePii(h.prod.url))).toEqual([]);
    expect(await filestoreDigest(targetFiles)).toEqual(await filestoreDigest(h.filestore));
    expect(await query(url, "select value from ir_config_parameter where key = 'web.base.url'")).toEqual([
      { value: "https://build.example.com" },
    ]);
  });
});
