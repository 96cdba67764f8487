import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PG_BIN } from "../support/postgres.ts";
import { type ControlPlaneDatabase, createControlPlaneDatabase } from "./support/database.ts";

/**
 * The pgTAP files of supabase/tests/database, as `supabase test db` runs them on a Supabase project.
 * pgTAP is a Debian package (postgresql-15-pgtap); where it is missing these files are skipped and the
 * TypeScript tests beside this one carry the same rules.
 */
const DIR = "supabase/tests/database";
const sharedir = join(PG_BIN, "..", "..", "..", "..", "share", "postgresql", "15", "extension");
const pgtapInstalled = existsSync(join(sharedir, "pgtap.control"));

/** TAP lines of every result set the file produced. */
function tapLines(results: pg.QueryResult | pg.QueryResult[]): string[] {
  return (Array.isArray(results) ? results : [results]).flatMap((r) =>
    (r.rows ?? []).flatMap((row: Record<string, unknown>) =>
      Object.values(row).flatMap((v) => (typeof v === "string" ? v.split("\n") : [])),
    ),
  );
}

describe.skipIf(!pgtapInstalled)("pgTAP: supabase/tests/database", () => {
  let db: ControlPlaneDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createControlPlaneDatabase("cp_tap");
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  for (const file of readdirSync(DIR).filter((f) => f.endsWith(".sql")))
    it(`${file} passes every assertion`, async () => {
      const lines = tapLines(await client.query(readFileSync(join(DIR, file), "utf8")));
      const planned = Number(/^1\.\.(\d+)$/.exec(lines.find((l) => /^1\.\.\d+$/.test(l)) ?? "")?.[1]);
      const failed = lines.filter((l) => l.startsWith("not ok"));
      expect(failed, lines.join("\n")).toEqual([]);
      expect(lines.filter((l) => /^ok \d+/.test(l))).toHaveLength(planned);
    });
});
