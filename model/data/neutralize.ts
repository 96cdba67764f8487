/**
 * Neutralization of a production copy: what `odoo neutralize` does, per module, plus what odooops adds.
 * The SQL lives beside each module's name in agent/neutralize/<module>.sql (as Odoo keeps it in
 * addons/<module>/data/neutralize.sql); this list fixes their order and the facts tests and policies
 * check against.
 */

/** Applied in this order, in one transaction; files whose tables are missing are skipped. */
export const NEUTRALIZE_MODULES = [
  "base",
  "mail",
  "web",
  "website",
  "payment",
  "payment_authorize",
  "delivery",
  "iap",
  "sms",
  "snailmail",
  "account_edi_proxy_client",
  "account_peppol",
  "l10n_my_edi",
  "l10n_in_edi",
  "pos_adyen",
  "pos_mercado_pago",
  "pos_razorpay",
  "pos_viva_wallet",
  "cloud_storage_google",
  "cloud_storage_azure",
  "google_calendar",
  "microsoft_calendar",
  "queue_job",
  "auth_oauth",
] as const;
export type NeutralizeModule = (typeof NEUTRALIZE_MODULES)[number];

/**
 * Scheduled actions left active: only those Odoo's own neutralize keeps (base/data/neutralize.sql keeps
 * the autovacuum job, which cleans up transient records and does nothing outside the database).
 * Callers may keep more with `--keep-cron`, e.g. `mail.ir_cron_mail_scheduler_action` to see queued
 * mail arrive in Mailpit.
 */
export const KEPT_CRONS = ["base.autovacuum_job"] as const;

/** The only outgoing mail server left active: the environment's Mailpit. */
export const MAIL_CATCHER_SERVER_NAME = "odooops: mail catcher (Mailpit)";

/** Odoo's flag that shows the "neutralized database" banner and tells modules to stay sandboxed. */
export const NEUTRALIZED_FLAG_KEY = "database.is_neutralized";

export const XMLID_PATTERN = /^[a-z0-9_]+\.[a-zA-Z0-9_]+$/;
