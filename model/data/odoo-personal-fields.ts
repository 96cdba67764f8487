import type { MaskRule, MaskStrategy } from "./masking.ts";

/**
 * Personal data in the standard modules of Odoo 16.0–19.0 beyond res.partner, res.users and the bank
 * accounts (model/data/masking.ts lists those): data, one entry per table, each column with the versions that
 * have it. Read from odoo/odoo's models (the search tool's one stored version is `master`, i.e. 19.x:
 * addons/hr/models/hr_employee.py and hr_version.py, mail/models/mail_message.py, mail_mail.py,
 * mail_tracking_value.py, discuss/discuss_channel.py, sms/models/sms_sms.py, crm/models/crm_lead.py,
 * calendar/models/calendar_attendee.py, calendar_event.py, mass_mailing/models/mailing_contact.py,
 * event/models/event_registration.py, payment/models/payment_transaction.py,
 * account/models/account_bank_statement_line.py, base/models/ir_attachment.py); the 16.0–18.0 columns
 * follow those versions' renames: hr.employee's private fields live on hr.version from 19.0, the private
 * address was a res.partner (address_home_id) before 17.0, mail.channel became discuss.channel in 17.0,
 * mobile left res.partner and crm.lead in 18.0.
 *
 * A column a database does not have is skipped, so every entry applies to every version; `versions`
 * says where Odoo has it, for review and the tests.
 */

export const ODOO_VERSIONS = ["16.0", "17.0", "18.0", "19.0"] as const;
export type OdooVersion = (typeof ODOO_VERSIONS)[number];

const ALL = ODOO_VERSIONS;
const FROM_17 = ["17.0", "18.0", "19.0"] as const;
const UNTIL_18 = ["16.0", "17.0", "18.0"] as const;
const UNTIL_17 = ["16.0", "17.0"] as const;
const ONLY_16 = ["16.0"] as const;
const FROM_19 = ["19.0"] as const;

interface PersonalColumn {
  strategy: MaskStrategy;
  versions: readonly OdooVersion[];
}

export interface PersonalTable {
  table: string;
  /** The Odoo model and the file its fields were read from. */
  model: string;
  source: string;
  columns: Record<string, PersonalColumn>;
}

const c = (strategy: MaskStrategy, versions: readonly OdooVersion[] = ALL): PersonalColumn => ({
  strategy,
  versions,
});

/** The employee's private file: on hr.employee until 18.0, on hr.version (one row per contract) in 19.0. */
const employeePrivate = (versions: readonly OdooVersion[]) => ({
  identification_id: c("vat", versions),
  ssnid: c("vat", versions),
  sinid: c("vat", versions),
  passport_id: c("vat", versions),
  private_street: c(
    "street",
    versions.filter((v) => v !== "16.0"),
  ),
  private_street2: c(
    "street",
    versions.filter((v) => v !== "16.0"),
  ),
  private_city: c(
    "city",
    versions.filter((v) => v !== "16.0"),
  ),
  private_zip: c(
    "zip",
    versions.filter((v) => v !== "16.0"),
  ),
  spouse_complete_name: c("name", versions),
  notes: c("prose", versions),
  departure_description: c("prose", versions),
});

export const ODOO_PERSONAL_TABLES: readonly PersonalTable[] = [
  {
    table: "hr_employee",
    model: "hr.employee",
    source: "addons/hr/models/hr_employee.py",
    columns: {
      name: c("name"),
      legal_name: c("name", FROM_19),
      work_email: c("email"),
      work_phone: c("phone"),
      mobile_phone: c("phone"),
      private_email: c("email", FROM_17),
      private_phone: c("phone", FROM_17),
      place_of_birth: c("city"),
      permit_no: c("vat"),
      visa_no: c("vat"),
      study_field: c("text"),
      study_school: c("text"),
      emergency_contact: c("name"),
      emergency_phone: c("phone"),
      private_car_plate: c("vat"),
      barcode: c("clear"),
      pin: c("clear"),
      employee_properties: c("json", FROM_17),
      ...employeePrivate(UNTIL_18),
    },
  },
  {
    table: "hr_version",
    model: "hr.version",
    source: "addons/hr/models/hr_version.py",
    columns: employeePrivate(FROM_19),
  },
  {
    table: "mail_message",
    model: "mail.message",
    source: "addons/mail/models/mail_message.py",
    columns: { subject: c("text"), body: c("prose") },
  },
  {
    table: "mail_mail",
    model: "mail.mail",
    source: "addons/mail/models/mail_mail.py",
    columns: { body_html: c("prose"), email_to: c("email"), email_cc: c("email"), headers: c("clear") },
  },
  {
    table: "mail_tracking_value",
    model: "mail.tracking.value",
    source: "addons/mail/models/mail_tracking_value.py",
    columns: {
      old_value_char: c("text"),
      new_value_char: c("text"),
      old_value_text: c("prose"),
      new_value_text: c("prose"),
    },
  },
  {
    table: "discuss_channel",
    model: "discuss.channel",
    source: "addons/mail/models/discuss/discuss_channel.py",
    columns: { name: c("text", FROM_17), description: c("prose", FROM_17) },
  },
  {
    table: "mail_channel",
    model: "mail.channel",
    source: "addons/mail/models/mail_channel.py (16.0)",
    columns: { name: c("text", ONLY_16), description: c("prose", ONLY_16) },
  },
  {
    table: "sms_sms",
    model: "sms.sms",
    source: "addons/sms/models/sms_sms.py",
    columns: { number: c("phone"), body: c("prose") },
  },
  {
    table: "crm_lead",
    model: "crm.lead",
    source: "addons/crm/models/crm_lead.py",
    columns: {
      name: c("text"),
      description: c("prose"),
      function: c("text"),
      website: c("clear"),
      lead_properties: c("json"),
      mobile: c("phone", UNTIL_17),
    },
  },
  {
    table: "calendar_attendee",
    model: "calendar.attendee",
    source: "addons/calendar/models/calendar_attendee.py",
    columns: { common_name: c("name"), email: c("email", UNTIL_17) },
  },
  {
    table: "calendar_event",
    model: "calendar.event",
    source: "addons/calendar/models/calendar_event.py",
    columns: { name: c("text"), description: c("prose"), location: c("street") },
  },
  {
    table: "mailing_contact",
    model: "mailing.contact",
    source: "addons/mass_mailing/models/mailing_contact.py",
    columns: { name: c("name"), email: c("email"), company_name: c("name") },
  },
  {
    table: "mailing_trace",
    model: "mailing.trace",
    source: "addons/mass_mailing/models/mailing_trace.py",
    columns: { email: c("email"), sms_number: c("phone") },
  },
  {
    table: "event_registration",
    model: "event.registration",
    source: "addons/event/models/event_registration.py",
    columns: { name: c("name"), email: c("email"), phone: c("phone"), company_name: c("name") },
  },
  {
    table: "payment_transaction",
    model: "payment.transaction",
    source: "addons/payment/models/payment_transaction.py",
    columns: {
      partner_name: c("name"),
      partner_email: c("email"),
      partner_phone: c("phone"),
      partner_address: c("street"),
      partner_city: c("city"),
      partner_zip: c("zip"),
    },
  },
  {
    table: "account_bank_statement_line",
    model: "account.bank.statement.line",
    source: "addons/account/models/account_bank_statement_line.py",
    columns: { partner_name: c("name"), account_number: c("bank-account"), payment_ref: c("text") },
  },
  {
    table: "ir_attachment",
    model: "ir.attachment",
    source: "odoo/addons/base/models/ir_attachment.py",
    columns: { name: c("file-name"), description: c("prose"), index_content: c("clear") },
  },
  {
    table: "pos_order",
    model: "pos.order",
    source: "addons/point_of_sale/models/pos_order.py",
    columns: { email: c("email", FROM_17), mobile: c("phone", FROM_17), general_note: c("prose", FROM_17) },
  },
  {
    table: "res_partner",
    model: "res.partner",
    source: "odoo/addons/base/models/res_partner.py",
    columns: { partner_properties: c("json", FROM_17) },
  },
];

/** The rules of every personal column, in table order. */
export function odooPersonalRules(): MaskRule[] {
  return ODOO_PERSONAL_TABLES.flatMap((t) =>
    Object.entries(t.columns).map(([column, { strategy }]) => ({ table: t.table, column, strategy })),
  );
}
