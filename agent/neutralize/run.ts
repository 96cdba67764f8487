import type pg from "pg";
import { KEPT_CRONS, MAIL_CATCHER_SERVER_NAME, XMLID_PATTERN } from "../../model/data/neutralize.ts";
import { AgentInputError } from "../errors.ts";
import { SHARED_CATALOG_CHECK } from "../pg/dump-statements.ts";
import { type NeutralizeStatement, neutralizeRules } from "./rules.ts";

export interface NeutralizeOptions {
  /** The environment's own URL, e.g. https://release-v2.acme.staging.example.com */
  baseUrl: string;
  mailCatcherHost: string;
  mailCatcherPort: number;
  /** XML ids of scheduled actions to keep active beyond Odoo's own list. */
  keepCrons?: readonly string[];
}

export interface NeutralizeStep {
  module: string;
  description: string;
  /** Rows changed, or undefined when the step was skipped. */
  rows: number | undefined;
  skipped?: string;
}

export function checkNeutralizeOptions(options: NeutralizeOptions): void {
  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new AgentInputError(
      `--base-url "${options.baseUrl}" is not a URL; expected e.g. https://staging.example.com`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new AgentInputError(`--base-url must be an http(s) URL, not ${url.protocol}`);
  if (!/^[A-Za-z0-9.-]+$/.test(options.mailCatcherHost))
    throw new AgentInputError(`--mailpit-host "${options.mailCatcherHost}" is not a host name`);
  if (
    !Number.isInteger(options.mailCatcherPort) ||
    options.mailCatcherPort < 1 ||
    options.mailCatcherPort > 65535
  )
    throw new AgentInputError(`--mailpit-port must be a port number (1–65535)`);
  for (const cron of options.keepCrons ?? [])
    if (!XMLID_PATTERN.test(cron))
      throw new AgentInputError(
        `--keep-cron "${cron}" is not an XML id such as mail.ir_cron_mail_scheduler_action`,
      );
}

/** "table" and "table.column" for everything in the current schema. */
async function schemaFacts(client: pg.Client): Promise<Set<string>> {
  const { rows } = await client.query<{ t: string; c: string }>(
    "select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema()",
  );
  return new Set(rows.flatMap((r) => [r.t, `${r.t}.${r.c}`]));
}

function render(statement: NeutralizeStatement, client: pg.Client, options: NeutralizeOptions): string {
  const crons = [...KEPT_CRONS, ...(options.keepCrons ?? [])];
  const params: Record<string, string> = {
    base_url: client.escapeLiteral(options.baseUrl.replace(/\/+$/, "")),
    catcher_name: client.escapeLiteral(MAIL_CATCHER_SERVER_NAME),
    catcher_host: client.escapeLiteral(options.mailCatcherHost),
    catcher_port: String(options.mailCatcherPort),
    kept_crons: crons.map((c) => client.escapeLiteral(c)).join(", "),
  };
  return statement.sql.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined)
      throw new Error(`unknown parameter {{${name}}} in agent/neutralize/${statement.module}.sql`);
    return value;
  });
}

/**
 * Applies every neutralize statement whose tables exist, inside the caller's transaction (the caller
 * commits only when all of them succeeded, so a database is never half neutralized).
 */
export async function applyNeutralize(
  client: pg.Client,
  options: NeutralizeOptions,
): Promise<NeutralizeStep[]> {
  checkNeutralizeOptions(options);
  const facts = await schemaFacts(client);
  const steps: NeutralizeStep[] = [];
  for (const statement of neutralizeRules()) {
    const missing = statement.requires.filter((r) => !facts.has(r));
    const present = statement.unless.filter((r) => facts.has(r));
    const step = { module: statement.module, description: statement.description };
    if (missing.length > 0) steps.push({ ...step, rows: undefined, skipped: `no ${missing.join(", ")}` });
    else if (present.length > 0)
      steps.push({ ...step, rows: undefined, skipped: `has ${present.join(", ")}` });
    else steps.push({ ...step, rows: await rowsChanged(client, render(statement, client, options)) });
  }
  // The rows changed may fire the database's own triggers, which in a restored zip are anybody's code.
  await client.query(SHARED_CATALOG_CHECK);
  return steps;
}

/**
 * Rows a statement changed. A DO block has no row count of its own (the driver says 0 whatever it did):
 * it must report its rows with `set_config('odooops.rows', …, true)`.
 */
async function rowsChanged(client: pg.Client, sql: string): Promise<number> {
  if (!/^\s*DO\b/i.test(sql)) return (await client.query(sql)).rowCount ?? 0;
  await client.query("select set_config('odooops.rows', '', true)");
  await client.query(sql);
  const { rows } = await client.query<{ n: string | null }>(
    "select current_setting('odooops.rows', true) as n",
  );
  if (!rows[0]?.n)
    throw new Error("a DO block in agent/neutralize/*.sql did not report its rows (odooops.rows)");
  return Number(rows[0].n);
}
