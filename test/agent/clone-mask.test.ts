import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../../agent/pg/connection.ts";
import { type CloneSource, cloneArgv, cloneSource, maskedDefault, neutralizeArgs } from "./clone-support.ts";
import { findValues, sourcePii } from "./pii.ts";
import { agent, envVar, odooDatabase, query } from "./support.ts";

/** Masked and neutralized copies: no personal data, no mail, payments or jobs reaching the outside. */
let h: CloneSource;
beforeAll(async () => {
  h = await cloneSource();
});
afterAll(() => h.close());

describe("clone --mask default --neutralize", () => {
  const copy = { name: "", url: "" };
  let result: { masked: { table: string; rows: number }[]; scan: { leaks: unknown[] } };

  beforeAll(async () => {
    Object.assign(copy, h.target("staging"));
    process.env.ODOOOPS_TEST_PASSWORD = "qa-password-1";
    const run = await agent(
      ...cloneArgv(h.sourceEnv, copy.name),
      "--mask",
      "default",
      "--password-env",
      "ODOOOPS_TEST_PASSWORD",
      ...neutralizeArgs,
      "--json",
      "--quiet",
    );
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    result = JSON.parse(run.out);
  });

  it("leaves none of the source's personal data anywhere in the copy", async () => {
    const pii = await sourcePii(h.source.url);
    expect(pii.length).toBeGreaterThan(3000);
    expect(await findValues(copy.url, pii)).toEqual([]);
    expect(result.scan.leaks).toEqual([]);
    expect(result.masked.map((t) => t.table).sort()).toEqual([
      "account_move",
      "ir_attachment",
      "mail_message",
      "res_partner",
      "res_partner_bank",
      "res_users",
    ]);
  });

  it("has every index, constraint, trigger and sequence position of the source", async () => {
    // Built from a second pg_dump (post-data) of the same snapshot, beside the leak scan.
    const schema = (url: string) =>
      query(
        url,
        `select 'index' as kind, indexdef as def from pg_indexes where schemaname = 'public'
         union all select 'constraint', conrelid::regclass || ' ' || pg_get_constraintdef(oid) from pg_constraint where connamespace = 'public'::regnamespace
         union all select 'trigger', tgrelid::regclass || ' ' || tgname from pg_trigger where not tgisinternal
         union all select 'sequence', sequencename || ' ' || coalesce(last_value, 0) from pg_sequences where schemaname = 'public'
           -- neutralize adds parameters and the Mailpit server
           and sequencename not in ('ir_config_parameter_id_seq', 'ir_mail_server_id_seq')
         order by 1, 2`,
      );
    const expected = await schema(h.source.url);
    expect(expected.filter((r) => r.kind === "index").length).toBeGreaterThan(20);
    expect(expected.filter((r) => r.kind === "constraint").length).toBeGreaterThan(20);
    expect(await schema(copy.url)).toEqual(expected);
  });

  it("masks deterministically: equal values stay equal, different values stay different", async () => {
    const fingerprint = async (url: string) =>
      query<{ names: string; emails: string; accounts: string }>(
        url,
        `select (select count(distinct name) from res_partner)::text as names,
                (select count(distinct email) from res_partner)::text as emails,
                (select count(distinct sanitized_acc_number) from res_partner_bank)::text as accounts`,
      );
    expect(await fingerprint(copy.url)).toEqual(await fingerprint(h.source.url));
    // Partners sharing a name in production share a masked name in the copy.
    const twins = await query<{ ids: number[] }>(
      h.source.url,
      "select array_agg(id order by id) as ids from res_partner group by name having count(*) > 1",
    );
    expect(twins.length).toBeGreaterThan(0);
    for (const { ids } of twins) {
      const names = await query<{ name: string }>(
        copy.url,
        "select distinct name from res_partner where id = any($1)",
        [ids],
      );
      expect(names).toHaveLength(1);
    }
    // A contact's full name is its company's masked name and its own, and users log in with their masked email.
    const [child] = await query<{ full: string; expected: string }>(
      copy.url,
      `select c.complete_name as full, p.name || ', ' || c.name as expected
         from res_partner c join res_partner p on p.id = c.parent_id limit 1`,
    );
    expect(child!.full).toBe(child!.expected);
    const mismatched = await query(
      copy.url,
      "select u.id from res_users u join res_partner p on p.id = u.partner_id where u.id > 100 and u.login <> p.email",
    );
    expect(mismatched).toEqual([]);
  });

  it("keeps Odoo's own records and resets every password", async () => {
    expect(await query(copy.url, "select name from res_partner where id in (1, 3) order by id")).toEqual([
      { name: "Acme Fixture SA" },
      { name: "OdooBot" },
    ]);
    expect(await query(copy.url, "select login from res_users where id <= 3 order by id")).toEqual([
      { login: "__system__" },
      { login: "admin" },
      { login: "public" },
    ]);
    const passwords = await query<{ password: string }>(
      copy.url,
      "select distinct password from res_users where id > 3",
    );
    expect(passwords).toHaveLength(1);
    expect(passwords[0]!.password).toMatch(/^\$pbkdf2-sha512\$\d+\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+$/);
  });

  it("sends mail only to the environment's Mailpit", async () => {
    expect(
      await query(copy.url, "select smtp_host, smtp_port, smtp_encryption from ir_mail_server where active"),
    ).toEqual([{ smtp_host: "mailpit-release-v2", smtp_port: 1025, smtp_encryption: "none" }]);
    expect(
      await query(
        copy.url,
        "select smtp_pass, google_gmail_refresh_token from ir_mail_server where smtp_pass is not null or google_gmail_refresh_token is not null",
      ),
    ).toEqual([]);
    expect(
      await query(
        copy.url,
        "select count(*)::int as n from fetchmail_server where active or password is not null",
      ),
    ).toEqual([{ n: 0 }]);
    expect(
      await query(copy.url, "select count(*)::int as n from mail_template where mail_server_id is not null"),
    ).toEqual([{ n: 0 }]);
  });

  it("runs no scheduled action outside the list Odoo keeps", async () => {
    const { KEPT_CRONS } = await import("../../model/data/neutralize.ts");
    const active = await query<{ xmlid: string | null }>(
      copy.url,
      `select d.module || '.' || d.name as xmlid from ir_cron c
         left join ir_model_data d on d.model = 'ir.cron' and d.res_id = c.id where c.active`,
    );
    expect(active.map((a) => a.xmlid).sort()).toEqual([...KEPT_CRONS].sort());
  });

  it("disables payments, carriers, IAP, webhooks, web push and queued jobs, and marks the database", async () => {
    expect(
      await query(copy.url, "select count(*)::int as n from payment_provider where state = 'enabled'"),
    ).toEqual([{ n: 0 }]);
    expect(
      await query(
        copy.url,
        "select count(*)::int as n from payment_provider where stripe_secret_key is not null or paypal_pdt_token is not null",
      ),
    ).toEqual([{ n: 0 }]);
    expect(
      await query(copy.url, "select count(*)::int as n from delivery_carrier where prod_environment"),
    ).toEqual([{ n: 0 }]);
    expect(await query<{ t: string }>(copy.url, "select account_token as t from iap_account")).toEqual([
      { t: "production-iap-sms-token+disabled" },
      { t: "production-iap-ocr-token+disabled" },
    ]);
    expect(await query(copy.url, "select webhook_url from ir_act_server where state = 'webhook'")).toEqual([
      { webhook_url: "neutralization - disable webhook" },
    ]);
    expect(
      await query(
        copy.url,
        "select count(*)::int as n from queue_job where state in ('pending', 'enqueued')",
      ),
    ).toEqual([{ n: 0 }]);
    expect(await query(copy.url, "select count(*)::int as n from mail_partner_device")).toEqual([{ n: 0 }]);
    expect(await query(copy.url, "select count(*)::int as n from res_users_apikeys")).toEqual([{ n: 0 }]);
    expect(await query(copy.url, "select domain, cdn_activated from website")).toEqual([
      { domain: null, cdn_activated: false },
    ]);
    const params = Object.fromEntries(
      (
        await query<{ key: string; value: string }>(copy.url, "select key, value from ir_config_parameter")
      ).map((r) => [r.key, r.value]),
    );
    expect(params).toMatchObject({
      "database.is_neutralized": "true",
      "web.base.url": "https://release-v2.acme.staging.example.com",
      "web.base.url.freeze": "True",
      "odooops.stage": "staging",
    });
    expect(params["database.uuid"]).not.toBe("6f1f9a4e-3c55-11ef-9b1a-0242ac120002");
    expect(params["database.secret"]).not.toBe("production-database-secret-5f0c");
    expect(params["mail.web_push_vapid_private_key"]).toBeUndefined();
    expect(JSON.parse(params["odooops.masked"]!)).toMatchObject({ profile: "default", extras: [] });
  });
});

describe("Odoo 16.0", () => {
  it("masks display_name and skips what 16.0 does not have", async () => {
    const old = await odooDatabase("clone_v16", { partners: 60, version: "16.0" });
    const copy = `${old.name}_c`;
    try {
      const run = await agent(
        "clone",
        "--source-url-env",
        envVar(old.url, "V16"),
        "--target-db",
        copy,
        ...maskedDefault,
        "--json",
        "--quiet",
      );
      expect(run.err).toBe("");
      expect(run.code).toBe(0);
      const out = JSON.parse(run.out) as { neutralized: { description: string; skipped?: string }[] };
      expect(out.neutralized.find((s) => s.description.startsWith("Webhook"))?.skipped).toBe(
        "no ir_act_server.webhook_url",
      );
      const copyUrl = withDatabase(old.url, copy);
      expect(await findValues(copyUrl, await sourcePii(old.url))).toEqual([]);
      const [row] = await query<{ display_name: string }>(
        copyUrl,
        "select display_name from res_partner where id = 121",
      );
      expect(row!.display_name).toMatch(/^Name [0-9a-f]{12}, Name [0-9a-f]{12}$/);
    } finally {
      await query(withDatabase(old.url, "postgres"), `drop database if exists "${copy}" with (force)`);
      await old.drop();
    }
  });
});
