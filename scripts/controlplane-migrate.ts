// Applies supabase/migrations to the database at ODOOOPS_CONTROL_PLANE_URL (a local PostgreSQL or a
// Supabase project's direct connection), recording them as the Supabase CLI does.
//   --supabase-shim  first install what Supabase provides (API roles, auth.uid()) — plain PostgreSQL only
//   --seed           then load supabase/seed.sql (example projects, members, builds)
import { readFileSync } from "node:fs";
import pg from "pg";
import { redactUrl } from "../controlplane/errors.ts";
import { applyMigrations, SEED, supabaseShimSql } from "../controlplane/migrations.ts";

const url = process.env.ODOOOPS_CONTROL_PLANE_URL;
if (!url) {
  console.error(
    "set ODOOOPS_CONTROL_PLANE_URL=postgresql://… (the URL stays out of argv: it may hold a password)",
  );
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
try {
  await client.connect();
  if (process.argv.includes("--supabase-shim")) await client.query(supabaseShimSql());
  const applied = await applyMigrations(client);
  console.log(
    `${redactUrl(url)}: ${applied.length} migration(s) applied${applied.map((m) => `\n  ${m.version} ${m.name}`).join("")}`,
  );
  if (process.argv.includes("--seed")) {
    await client.query(readFileSync(SEED, "utf8"));
    console.log("seed.sql loaded");
  }
} catch (error) {
  console.error(`odooops: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await client.end();
}
