import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Odoo itself is not installed here: the upgrade preview runs test/fixtures/odoo-standin/odoo.ts in its
 * place (Odoo's command line, the real database, Odoo's log format), with an addons path of manifests.
 */
export const STANDIN = new URL("../../fixtures/odoo-standin/odoo.ts", import.meta.url).pathname;

export function standinCommand(addonsDir: string): string {
  return `${process.execPath} --import tsx ${STANDIN} --addons-path=${addonsDir}`;
}

/** An addons directory holding a __manifest__.py per module, with the given versions. */
export function addons(dir: string, modules: Record<string, string>, failing: string[] = []): string {
  for (const [name, version] of Object.entries(modules)) {
    mkdirSync(join(dir, name), { recursive: true });
    const fail = failing.includes(name) ? ', "standin_fail": True' : "";
    writeFileSync(
      join(dir, name, "__manifest__.py"),
      `{"name": "${name}", "version": "${version}"${fail}}\n`,
    );
  }
  return dir;
}

/** The fixture's Odoo modules (test/fixtures/odoo/seed.sql) at `major`. */
export const fixtureModules = (major: string) =>
  Object.fromEntries(
    ["base", "web", "mail", "payment", "delivery", "iap", "website", "account", "queue_job", "auth_totp"].map(
      (m) => [m, `${major}.1.0`],
    ),
  );
