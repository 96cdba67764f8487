import { PLATFORM_OWNED_OPTIONS } from "../plan/odoo-config.ts";

/**
 * odoo.conf options the platform writes itself (model/plan/odoo-config.ts owns the list). The generated file
 * lets platform values win, so a project option naming one of them is silently ignored; the policy pack
 * refuses it instead, so that nobody believes a staging copy sends mail through a real relay, or that
 * the master password is the one in the YAML.
 */
const REASONS: readonly { pattern: RegExp; reason: string }[] = [
  {
    pattern: /^smtp_/,
    reason: "mail routing is the platform's: outside production Odoo sends only to Mailpit",
  },
  {
    pattern: /^(db_|dbfilter$|list_db$)/,
    reason: "database access is the platform's: each environment reaches exactly its own database",
  },
  { pattern: /^admin_passwd$/, reason: "the master password is generated per environment and kept secret" },
  { pattern: /^(workers|max_cron_threads)$/, reason: "set environments.<stage>.workers instead" },
];

export interface OwnedOption {
  key: string;
  reason: string;
}

export function platformOwnedOptions(options: Readonly<Record<string, unknown>>): OwnedOption[] {
  const owned = new Set<string>(PLATFORM_OWNED_OPTIONS);
  return Object.keys(options)
    .filter((key) => owned.has(key))
    .map((key) => ({
      key,
      reason:
        REASONS.find((r) => r.pattern.test(key))?.reason ?? "the platform sets it for every environment",
    }));
}

/**
 * The value of `option` in odoo.conf text, or undefined, read as Odoo's configparser reads it: lines end
 * at `\n`, `\r\n` or a bare `\r`; Odoo's configuration is the `[options]` section, which inherits what
 * `[DEFAULT]` sets; an option under any other section header is not Odoo's.
 */
export function odooConfOption(text: string, option: string): string | undefined {
  const found: Record<string, string | undefined> = {};
  let section: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const header = /^\[([^\]]*)\]/.exec(line);
    if (header) section = header[1];
    const match = header ? null : /^([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(.*?)\s*$/.exec(line);
    if (section !== undefined && match && match[1] === option) found[section] ??= match[2];
  }
  return found.options ?? found.DEFAULT;
}

/**
 * The SMTP host an environment variable list names (`ODOOOPS_SMTP=host:port`, `SMTP_SERVER=host`,
 * `ODOO_SMTP_HOST=host`), without its port; undefined when none does.
 */
export function smtpHostFromEnv(envs: readonly string[]): string | undefined {
  for (const entry of envs) {
    const match = /^(?:ODOOOPS_SMTP|(?:ODOO_)?SMTP_(?:SERVER|HOST))=(.*)$/.exec(entry);
    if (match) return match[1]!.replace(/:\d+$/, "");
  }
  return undefined;
}
