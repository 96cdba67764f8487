import { z } from "zod";
import type { MASK_PROFILES } from "../input/schema/environments.ts";
import { odooPersonalRules } from "./odoo-personal-fields.ts";

/**
 * Masking profiles: which columns of a production copy hold personal data and how each is replaced.
 * The agent applies them while the copy is written (clone, restore) or in place (mask); either way each
 * strategy is deterministic within one run, so equal values stay equal (joins, unique constraints and
 * a contact's "Company, Person" name survive) while nothing links back to the source value.
 *
 * Columns are listed per Odoo model across 16.0–19.0; a column or table that a database does not have
 * (module not installed, other version) is skipped.
 */

export const MASK_STRATEGIES = [
  "name",
  "display-name",
  "email",
  "phone",
  "street",
  "city",
  "zip",
  "vat",
  "bank-account",
  "login",
  "text",
  "prose",
  "file-name",
  "json",
  "clear",
  "password",
] as const;
export type MaskStrategy = (typeof MASK_STRATEGIES)[number];

/**
 * Quasi-identifiers such as a city or a postcode legitimately occur in reference data (cities, states,
 * zip ranges), so the database-wide leak scan only looks for the identifying values; masked city and zip
 * columns are still rewritten like every other masked column.
 */
export const SCANNED_STRATEGIES: ReadonlySet<MaskStrategy> = new Set([
  "name",
  "display-name",
  "email",
  "phone",
  "street",
  "vat",
  "bank-account",
  "login",
  "text",
  "prose",
  "file-name",
  "json",
  "clear",
]);

/**
 * The strategy a rule takes on a column of this SQL type (as pg_dump or information_schema writes it):
 * text types take the rule's own, json and jsonb are always walked key by key (a profile written for a
 * text column still fits where a version made it json), any type can be cleared; undefined when the
 * column cannot be masked (a number, a date).
 */
export function strategyForType(strategy: MaskStrategy, type: string): MaskStrategy | undefined {
  if (strategy === "clear") return "clear";
  if (/^(json|jsonb)$/.test(type)) return "json";
  return /^(text|character varying|varchar|character|char|bpchar)\b/.test(type) ? strategy : undefined;
}

/** Rows a rule leaves alone: Odoo's own records that are not personal data. */
export type KeepRows = "technical-partners" | "technical-users";

export interface MaskRule {
  table: string;
  column: string;
  strategy: MaskStrategy;
  keep?: KeepRows;
}

/**
 * The partners that are the company itself or Odoo's technical records (the root bot, the public user)
 * are kept: masking them changes every report header and helps no one. The admin's partner is a person
 * and is masked. XML ids of module `base`.
 */
export const TECHNICAL_PARTNER_XMLIDS = ["main_partner", "partner_root", "public_partner"] as const;
/** Logins of users with a `base` XML id (admin, __system__, public, templates) are not personal. */
export const TECHNICAL_USER_MODULE = "base";

const partner = (column: string, strategy: MaskStrategy): MaskRule => ({
  table: "res_partner",
  column,
  strategy,
  keep: "technical-partners",
});
const on = (table: string, columns: Record<string, MaskStrategy>): MaskRule[] =>
  Object.entries(columns).map(([column, strategy]) => ({ table, column, strategy }));

const DEFAULT_RULES: readonly MaskRule[] = [
  // base: res.partner (complete_name since 17.0, display_name stored before)
  ...Object.entries({
    name: "name",
    complete_name: "display-name",
    display_name: "display-name",
    commercial_company_name: "name",
    company_name: "name",
    email: "email",
    email_normalized: "email",
    phone: "phone",
    phone_sanitized: "phone",
    mobile: "phone",
    street: "street",
    street2: "street",
    city: "city",
    zip: "zip",
    vat: "vat",
    company_registry: "vat",
    website: "clear",
    comment: "clear",
    signup_token: "clear",
  } satisfies Record<string, MaskStrategy>).map(([column, strategy]) => partner(column, strategy)),
  // base: res.users — logins except Odoo's own users; every password is reset
  { table: "res_users", column: "login", strategy: "login", keep: "technical-users" },
  ...on("res_users", {
    password: "password",
    signature: "clear",
    totp_secret: "clear",
    oauth_uid: "clear",
    oauth_access_token: "clear",
  }),
  ...on("res_partner_bank", {
    acc_number: "bank-account",
    sanitized_acc_number: "bank-account",
    acc_holder_name: "name",
  }),
  // mail: addresses and the partner names copied into messages
  ...on("mail_message", { email_from: "email", reply_to: "email", record_name: "display-name" }),
  ...on("mail_mail", { email_to: "email", email_cc: "email" }),
  // account: the partner name frozen on each invoice
  ...on("account_move", { invoice_partner_display_name: "display-name" }),
  // crm
  ...on("crm_lead", {
    partner_name: "name",
    contact_name: "name",
    email_from: "email",
    email_normalized: "email",
    email_cc: "email",
    phone: "phone",
    phone_sanitized: "phone",
    mobile: "phone",
    street: "street",
    street2: "street",
    city: "city",
    zip: "zip",
  }),
  // hr: employees' private data, and their names held by resource.resource
  ...on("resource_resource", { name: "name" }),
  ...on("hr_employee", {
    private_email: "email",
    private_phone: "phone",
    private_street: "street",
    private_street2: "street",
    private_city: "city",
    private_zip: "zip",
    work_email: "email",
    work_phone: "phone",
    mobile_phone: "phone",
    identification_id: "vat",
    passport_id: "vat",
    ssnid: "vat",
    sinid: "vat",
    emergency_contact: "name",
    emergency_phone: "phone",
  }),
];

/**
 * strict: the free text people write about each other (chatter, tracked changes, file contents) is
 * emptied instead of rewritten.
 */
const STRICT_EXTRA: readonly MaskRule[] = [
  ...on("mail_message", { subject: "clear", body: "clear" }),
  ...on("mail_mail", { body_html: "clear" }),
  ...on("mail_tracking_value", {
    old_value_char: "clear",
    new_value_char: "clear",
    old_value_text: "clear",
    new_value_text: "clear",
  }),
  ...on("ir_attachment", { index_content: "clear" }),
];

/** `first`, then the rules of `then` for columns `first` does not have: one rule per column. */
function withoutOverlap(first: readonly MaskRule[], then: readonly MaskRule[]): MaskRule[] {
  const taken = new Set(first.map((r) => `${r.table}.${r.column}`));
  return [...first, ...then.filter((r) => !taken.has(`${r.table}.${r.column}`))];
}

/** default: the columns above, then every personal column of Odoo's standard modules (free text rewritten). */
const DEFAULT_PROFILE = withoutOverlap(DEFAULT_RULES, odooPersonalRules());

export const MASK_PROFILE_RULES: Record<(typeof MASK_PROFILES)[number], readonly MaskRule[]> = {
  default: DEFAULT_PROFILE,
  strict: withoutOverlap(STRICT_EXTRA, DEFAULT_PROFILE),
};

export type MaskProfileName = keyof typeof MASK_PROFILE_RULES;

const identifier = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: "must be a lowercase SQL identifier such as res_partner" });

/** `table.column` or `table.column:strategy`, as given to `--extra`; strategy defaults to text. */
export const extraColumnSchema = z
  .string()
  .transform((text, ctx) => {
    const match = /^([^.:]+)\.([^.:]+)(?::(.+))?$/.exec(text);
    if (!match) {
      ctx.addIssue({ code: "custom", message: `"${text}" is not table.column or table.column:strategy` });
      return z.NEVER;
    }
    return { table: match[1]!, column: match[2]!, strategy: match[3] ?? "text" };
  })
  .pipe(z.strictObject({ table: identifier, column: identifier, strategy: z.enum(MASK_STRATEGIES) }));

/** The rules of a profile plus a project's extra columns; an extra column replaces a profile rule. */
export function maskRules(profile: MaskProfileName, extras: readonly MaskRule[] = []): MaskRule[] {
  const key = (r: MaskRule) => `${r.table}.${r.column}`;
  const replaced = new Set(extras.map(key));
  return [...MASK_PROFILE_RULES[profile].filter((r) => !replaced.has(key(r))), ...extras];
}

/** Rules grouped by table, in a stable order. */
export function rulesByTable(rules: readonly MaskRule[]): Map<string, MaskRule[]> {
  const tables = new Map<string, MaskRule[]>();
  for (const rule of rules) tables.set(rule.table, [...(tables.get(rule.table) ?? []), rule]);
  return tables;
}
