/** Shell words for the command lines the platform runs on hosts (model/plan/agent-commands.ts, model/plan/odoo-run.ts). */

/** Quotes one shell word. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** One command line from its words, each quoted. */
export function shellLine(...words: string[]): string {
  return words.map(shellQuote).join(" ");
}
