// Renders model/'s governance rules (decision rights, gate evidence and stages) as a Supabase migration.
// Applied migrations are never edited, so a change of the rules becomes a NEW migration that replaces only
// the functions whose definition changed; the newest definition of each is in force. `--check` only verifies.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { listMigrations, MIGRATIONS_DIR } from "../controlplane/migrations.ts";
import {
  changedRuleFunctions,
  RULES_MIGRATION_SUFFIX,
  rulesMigrationSql,
} from "../controlplane/rules-sql.ts";

function utcVersion(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

const check = process.argv.includes("--check");
const rules = listMigrations().filter((m) => m.file.endsWith(RULES_MIGRATION_SUFFIX));
const changed = changedRuleFunctions(rules.map((m) => readFileSync(m.file, "utf8")));
const names = changed.map((f) => f.signature).join(", ");
if (changed.length === 0) {
  console.log(`the *${RULES_MIGRATION_SUFFIX} migrations match model/: nothing to do`);
} else if (check) {
  console.error(
    `model/ changed ${names}: run npx tsx scripts/generate-controlplane-rules.ts to write a migration with them`,
  );
  process.exitCode = 1;
} else {
  const file = join(MIGRATIONS_DIR, `${utcVersion(new Date())}${RULES_MIGRATION_SUFFIX}`);
  writeFileSync(file, rulesMigrationSql(changed));
  console.log(`wrote ${file} (${names})`);
}
