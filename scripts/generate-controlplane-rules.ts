// Renders model/'s governance rules (decision rights, gate evidence and stages) as a Supabase migration.
// Applied migrations are never edited, so a change of the rules becomes a NEW migration that replaces the
// functions; the newest `*_governance_rules.sql` is the rules in force. `--check` only verifies.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { listMigrations, MIGRATIONS_DIR } from "../controlplane/migrations.ts";
import { governanceRulesSql, RULES_MIGRATION_SUFFIX } from "../controlplane/rules-sql.ts";

function utcVersion(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

const check = process.argv.includes("--check");
const sql = governanceRulesSql();
const latest = listMigrations()
  .filter((m) => m.file.endsWith(RULES_MIGRATION_SUFFIX))
  .at(-1);
if (latest && readFileSync(latest.file, "utf8") === sql) {
  console.log(`${latest.file} matches model/: nothing to do`);
} else if (check) {
  console.error(
    `${latest?.file ?? "no governance rules migration"} differs from model/: run npx tsx scripts/generate-controlplane-rules.ts`,
  );
  process.exitCode = 1;
} else {
  const file = join(MIGRATIONS_DIR, `${utcVersion(new Date())}${RULES_MIGRATION_SUFFIX}`);
  writeFileSync(file, sql);
  console.log(`wrote ${file}`);
}
