import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../../agent/pg/connection.ts";
import { cloneArgv, maskedDefault } from "./clone-support.ts";
import { agent, envVar, type OdooDb, odooDatabase, query } from "./support.ts";

/**
 * The realistic fixture: personal data where Odoo keeps it (HR, CRM, chatter, mail, tracking, SMS,
 * calendar, mailing lists, events, payments, bank lines, attachments, channels, properties), much of it
 * inside longer text and JSON. The default profile must leave none of it, found the way a person would:
 * as a substring, ignoring case.
 */
let source: OdooDb;
let sourceEnv: string;
beforeAll(async () => {
  source = await odooDatabase("clone_pii", { partners: 150, personal: true });
  sourceEnv = envVar(source.url, "PII");
});
afterAll(() => source.drop());

/** Identifying columns of the source (not free text): the values no copy may show anywhere. */
const IDENTIFYING: Record<string, string[]> = {
  res_partner: ["name", "email", "phone", "mobile", "street", "vat"],
  res_partner_bank: ["acc_number"],
  hr_employee: [
    "name",
    "private_email",
    "private_phone",
    "spouse_complete_name",
    "emergency_contact",
    "visa_no",
    "permit_no",
    "passport_id",
    "identification_id",
    "private_car_plate",
  ],
  crm_lead: ["contact_name", "email_from"],
  calendar_attendee: ["common_name", "email"],
  mailing_contact: ["name", "email"],
  sms_sms: ["number"],
};

async function sourceValues(url: string): Promise<string[]> {
  const kept =
    "(select res_id from ir_model_data where module = 'base' and model = 'res.partner' union select partner_id from res_company)";
  const parts = Object.entries(IDENTIFYING).map(
    ([table, columns]) =>
      `select unnest(array[${columns.map((c) => `${c}::text`).join(", ")}]) from ${table}${table === "res_partner" ? ` where id not in ${kept}` : ""}`,
  );
  const rows = await query<{ v: string }>(
    url,
    `select distinct lower(v) as v from (${parts.join(" union all ")}) x(v) where length(v) >= 6`,
  );
  // Phones also as digits without their spaces, as an SMS gateway or a CSV export writes them.
  return [...new Set(rows.flatMap((r) => [r.v, r.v.replace(/ /g, "")]))];
}

/**
 * Every text, varchar, char, json and jsonb cell of `url` containing one of `values`: "table.column (n)".
 * Every value against every cell with strpos: slow on a busy machine, hence the tests' longer timeouts.
 */
async function cellsContaining(url: string, values: string[]): Promise<string[]> {
  const columns = await query<{ t: string; c: string }>(
    url,
    `select table_name as t, column_name as c from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying', 'character', 'json', 'jsonb')`,
  );
  const found: string[] = [];
  for (const { t, c } of columns) {
    const [row] = await query<{ n: number }>(
      url,
      `select count(*)::int as n from "${t}" x
        where exists (select 1 from unnest($1::text[]) v where strpos(lower(x."${c}"::text), v) > 0)`,
      [values],
    );
    if (row!.n > 0) found.push(`${t}.${c} (${row!.n})`);
  }
  return found;
}

describe("clone --mask default on a realistic Odoo database", () => {
  it("holds personal data in at least 20 tables, much of it inside text (the fixture is what it claims)", async () => {
    const values = await sourceValues(source.url);
    expect(values.length).toBeGreaterThan(500);
    const where = await cellsContaining(source.url, values);
    const tables = new Set(where.map((w) => w.split(".")[0]));
    expect(tables.size).toBeGreaterThanOrEqual(20);
    for (const column of [
      "mail_message.body",
      "mail_mail.body_html",
      "crm_lead.description",
      "crm_lead.lead_properties",
      "hr_employee.notes",
      "ir_attachment.name",
      "ir_attachment.description",
      "sms_sms.body",
      "discuss_channel.name",
      "mail_tracking_value.new_value_char",
      "account_bank_statement_line.payment_ref",
    ])
      expect(
        where.some((w) => w.startsWith(`${column} `)),
        column,
      ).toBe(true);
  }, 180_000);

  it("leaves 0 cells holding a source value, and its own scan agrees", async () => {
    const copy = `${source.name}_m`;
    try {
      const run = await agent(...cloneArgv(sourceEnv, copy), ...maskedDefault, "--json", "--quiet");
      expect(run.err).toBe("");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.out).scan.leaks).toEqual([]);
      const copyUrl = withDatabase(source.url, copy);
      expect(await cellsContaining(copyUrl, await sourceValues(source.url))).toEqual([]);
      // Rewritten, not emptied: the copy still looks like the database it came from.
      const [lead] = await query<{ description: string; lead_properties: Record<string, unknown> }>(
        copyUrl,
        "select description, lead_properties from crm_lead order by id limit 1",
      );
      expect(lead!.description).toMatch(/^masked text [0-9a-f]{12}( lorem)+$/);
      expect(Object.keys(lead!.lead_properties)).toEqual(["a1", "b2", "c3"]);
      expect(lead!.lead_properties.c3).toBe(42);
      const [file] = await query<{ name: string }>(
        copyUrl,
        "select name from ir_attachment where res_model = 'hr.employee' limit 1",
      );
      expect(file!.name).toMatch(/^file-[0-9a-f]{12}\.pdf$/);
    } finally {
      await query(withDatabase(source.url, "postgres"), `drop database if exists "${copy}" with (force)`);
    }
  }, 180_000);

  it("fails a copy whose unmasked notes mention a customer inside longer text, naming the column", async () => {
    const copy = `${source.name}_n`;
    await query(
      source.url,
      "create table x_visit_note (id serial primary key, note text); insert into x_visit_note (note) select '<p>Visited ' || upper(name) || ' today</p>' from res_partner where id between 150 and 160",
    );
    try {
      const run = await agent(...cloneArgv(sourceEnv, copy), ...maskedDefault, "--quiet");
      expect(run.code).toBe(1);
      expect(run.err).toMatch(
        /masking check failed: .*x_visit_note\.note \(11 cells, e\.g\. id \d+ "\w•* \w•*( \d•*)?"\); the copy was discarded/,
      );
    } finally {
      await query(source.url, "drop table x_visit_note");
      await query(withDatabase(source.url, "postgres"), `drop database if exists "${copy}" with (force)`);
    }
  });
});
