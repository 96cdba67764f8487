import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NEUTRALIZE_MODULES } from "../../model/data/neutralize.ts";
import { agent, envVar, type OdooDb, odooDatabase, query } from "./support.ts";

/**
 * Parity with `odoo neutralize`: every module odoo/odoo ships a data/neutralize.sql for has its
 * statements here, each one checked on the tables that module adds (shaped as Odoo defines them).
 */
let db: OdooDb;
let dbEnv: string;
let steps: { module: string; description: string; rows?: number; skipped?: string }[];

/** The tables and columns of the modules beyond the base fixture, with production settings in them. */
const MODULE_TABLES = `
  create table sms_sms (id serial primary key, number varchar, body text);
  create table snailmail_letter (id serial primary key, state varchar);
  create table account_edi_proxy_client_user (id serial primary key, active boolean default true, proxy_type varchar,
    edi_mode varchar, id_client varchar);
  insert into account_edi_proxy_client_user (proxy_type, edi_mode) values
    ('peppol', 'prod'), ('l10n_it_edi', 'prod'), ('l10n_cn_edi', 'prod'), ('l10n_my_edi', 'prod'), ('l10n_gr_edi', 'prod');
  create table l10n_my_edi_config (id serial primary key, l10n_my_edi_mode varchar);
  insert into l10n_my_edi_config (l10n_my_edi_mode) values ('prod');
  create table l10n_in_edi_config (id serial primary key, l10n_in_edi_username varchar, l10n_in_edi_token_validity timestamp);
  insert into l10n_in_edi_config values (1, 'gst-user', now());
  create table pos_payment_method (id serial primary key, adyen_test_mode boolean);
  insert into pos_payment_method (adyen_test_mode) values (false), (false);
  create table pos_payment_provider (id serial primary key, mode varchar, mp_bearer_token varchar,
    mp_webhook_secret_key varchar, razorpay_api_key varchar);
  insert into pos_payment_provider (mode, mp_bearer_token, mp_webhook_secret_key, razorpay_api_key)
    values ('production', 'APP_USR-live', 'whsec-live', 'rzp_live_key');
  alter table payment_provider add column authorize_login varchar, add column authorize_client_key varchar;
  update payment_provider set authorize_login = 'live-login', authorize_client_key = 'live-key' where code = 'adyen';
  insert into ir_config_parameter (key, value) values
    ('account_peppol.edi.mode', 'prod'),
    ('cloud_storage_google_bucket_name', 'acme-prod-files'), ('cloud_storage_google_account_info', '{"private_key": "x"}'),
    ('cloud_storage_azure_account_name', 'acmeprod'), ('cloud_storage_azure_client_secret', 'azure-secret'),
    ('sms.endpoint', 'https://iap-sms.odoo.com');
  create table auth_oauth_provider (id serial primary key, name varchar not null, client_id varchar,
    enabled boolean, auth_endpoint varchar not null, scope varchar, validation_endpoint varchar,
    flow varchar, client_secret varchar, token_endpoint varchar, jwks_uri varchar, token_map varchar);
  insert into auth_oauth_provider (name, client_id, enabled, auth_endpoint, flow, client_secret) values
    ('Keycloak tenant-acme', 'odoo', true, 'https://sso.example/realms/tenant-acme/protocol/openid-connect/auth',
     'id_token_code', 'prod-client-secret'),
    ('Google', 'google-id', false, 'https://accounts.google.com/o/oauth2/auth', 'access_token', null);
  alter table res_users add column oauth_access_token varchar;
  update res_users set oauth_access_token = 'prod-access-token' where login = 'admin';`;

beforeAll(async () => {
  db = await odooDatabase("ncov", { partners: 10 });
  await query(db.url, MODULE_TABLES);
  await query(db.url, "update ir_config_parameter set value = 'staging' where key = 'odooops.stage'");
  dbEnv = envVar(db.url, "NCOV");
  const run = await agent(
    "neutralize",
    "--db-url-env",
    dbEnv,
    "--base-url",
    "https://staging.acme.example",
    "--mailpit-host",
    "mailpit",
    "--json",
  );
  expect(run.code, run.err).toBe(0);
  steps = JSON.parse(run.out).steps;
});
afterAll(() => db.drop());

const param = async (key: string) =>
  (await query<{ value: string }>(db.url, "select value from ir_config_parameter where key = $1", [key]))[0]
    ?.value;

describe("neutralize at parity with odoo neutralize", () => {
  it("applies a statement of every module in the list, and counts the rows each changed", () => {
    const applied = new Set(steps.filter((s) => s.rows !== undefined).map((s) => s.module));
    // Calendar sync and queue_job are not in the fixture; every other module is.
    const absent = ["google_calendar", "microsoft_calendar", "queue_job"];
    expect(NEUTRALIZE_MODULES.filter((m) => !applied.has(m) && !absent.includes(m))).toEqual([]);
    const rows = (module: string, description: RegExp) =>
      steps.find((s) => s.module === module && description.test(s.description))?.rows;
    // Stripe's three secrets on one row, PayPal's token on another, Authorize's on a third.
    expect(rows("payment", /credentials blanked/)).toBe(3);
    expect(rows("delivery", /external providers/)).toBe(1);
    expect(rows("account_edi_proxy_client", /demo or test mode/)).toBe(3);
  });

  it("points SMS and letters at Odoo's test service, Peppol and MyInvois in test mode", async () => {
    expect(await param("sms.endpoint")).toBe("https://iap-services-test.odoo.com");
    expect(await param("snailmail.endpoint")).toBe("https://iap-services-test.odoo.com");
    expect(await param("account_peppol.edi.mode")).toBe("test");
    expect(
      await query(
        db.url,
        "select proxy_type, edi_mode, active from account_edi_proxy_client_user order by id",
      ),
    ).toEqual([
      { proxy_type: "peppol", edi_mode: "demo", active: true },
      { proxy_type: "l10n_it_edi", edi_mode: "demo", active: true },
      { proxy_type: "l10n_cn_edi", edi_mode: "test", active: true },
      { proxy_type: "l10n_my_edi", edi_mode: "prod", active: false },
      { proxy_type: "l10n_gr_edi", edi_mode: "prod", active: true },
    ]);
    expect(await query(db.url, "select l10n_my_edi_mode from l10n_my_edi_config")).toEqual([
      { l10n_my_edi_mode: "test" },
    ]);
    expect(
      await query(db.url, "select l10n_in_edi_username, l10n_in_edi_token_validity from l10n_in_edi_config"),
    ).toEqual([{ l10n_in_edi_username: null, l10n_in_edi_token_validity: null }]);
  });

  it("puts payment terminals in test mode with dummy credentials, and forgets Authorize.Net's", async () => {
    expect(await query(db.url, "select bool_and(adyen_test_mode) as all from pos_payment_method")).toEqual([
      { all: true },
    ]);
    expect(
      await query(
        db.url,
        "select mode, mp_bearer_token, mp_webhook_secret_key, razorpay_api_key from pos_payment_provider",
      ),
    ).toEqual([
      {
        mode: "test",
        mp_bearer_token: "dummy_value",
        mp_webhook_secret_key: "dummy_value",
        razorpay_api_key: "dummykey00012345",
      },
    ]);
    expect(
      await query(
        db.url,
        "select count(*)::int as n from payment_provider where authorize_login is not null or authorize_client_key is not null",
      ),
    ).toEqual([{ n: 0 }]);
  });

  it("turns production's sign-in providers off and removes their client secret and users' tokens (odooops)", async () => {
    expect(
      await query(db.url, "select name, enabled, client_secret from auth_oauth_provider order by id"),
    ).toEqual([
      { name: "Keycloak tenant-acme", enabled: false, client_secret: null },
      { name: "Google", enabled: false, client_secret: null },
    ]);
    expect(
      await query(db.url, "select count(*)::int as n from res_users where oauth_access_token is not null"),
    ).toEqual([{ n: 0 }]);
    const rows = (description: RegExp) =>
      steps.find((s) => s.module === "auth_oauth" && description.test(s.description))?.rows;
    expect(rows(/providers disabled/)).toBe(1);
    expect(rows(/client secrets removed/)).toBe(1);
    expect(rows(/access tokens removed/)).toBe(1);
  });

  it("forgets production's cloud storage and deactivates carriers of external providers", async () => {
    expect(
      await query(db.url, "select key from ir_config_parameter where key like 'cloud_storage_%'"),
    ).toEqual([]);
    expect(
      await query(db.url, "select delivery_type, active, prod_environment from delivery_carrier order by id"),
    ).toEqual([
      { delivery_type: "fedex_rest", active: false, prod_environment: false },
      { delivery_type: "fixed", active: true, prod_environment: false },
    ]);
  });
});
