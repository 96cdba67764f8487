import { createWriteStream, existsSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { maskingDump } from "../../agent/mask/dump-masker.ts";
import { newMaskRun } from "../../agent/mask/run-context.ts";
import { withDatabase } from "../../agent/pg/connection.ts";
import { loadSql, runSqlStatements } from "../../agent/pg/load.ts";
import { startPgTool } from "../../agent/pg/tools.ts";
import { DumpStream } from "../../agent/sql-stream/dump-stream.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { agent, databaseExists, envVar, query, tempDir } from "./support.ts";

/** A dump's psql backslash commands never run: a crafted dump.sql cannot reach a shell in the agent. */
let db: TestDatabase;
let dir: { path: string; remove: () => void };
beforeAll(async () => {
  db = await createTestDatabase("restricted");
  dir = tempDir("restricted");
});
afterAll(async () => {
  await db.drop();
  dir.remove();
});

const TABLE = "create table res_partner (id int primary key, name varchar);\n";
const ROWS = "COPY public.res_partner (id, name) FROM stdin;\n1\tAnna\n2\t\\\\! not a command\n\\.\n";

/** Ways a dump can ask psql for a shell or a file: each would create `marker` if it ran. */
function attacks(marker: string): [string, string][] {
  return [
    ["a \\! line", `${TABLE}\\! touch ${marker}\n`],
    ["\\! after a statement on its line", `${TABLE}select 1; \\! touch ${marker}\n`],
    ["\\o to a pipe", `${TABLE}\\o |touch ${marker}\nselect 1;\n`],
    ["\\copy to a program", `${TABLE}\\copy (select 1) to program 'touch ${marker}'\n`],
    ["\\copy to a file", `${TABLE}\\copy (select 1) to '${marker}'\n`],
    [
      "its own \\unrestrict, guessed, then \\!",
      `\\restrict abc\n${TABLE}\\unrestrict abc\n\\! touch ${marker}\n`,
    ],
    ["after COPY data", `${TABLE}${ROWS}\\! touch ${marker}\n`],
  ];
}

const load = (sql: string) => loadSql(db.url, Readable.from([sql]));

describe("SQL the agent loads", () => {
  it("would have run a shell command through plain psql: the attack is real", async () => {
    const marker = join(dir.path, "plain");
    const psql = startPgTool("psql", ["-X", "-q", "-f", "-"], db.url, { stdin: "pipe" });
    psql.child.stdin!.end(`\\! touch ${marker}\n`);
    await psql.exited;
    expect(existsSync(marker)).toBe(true);
  });

  it.each(attacks("marker").map(([name], i) => [name, i] as const))(
    "refuses %s, and runs nothing of it",
    async (_name, i) => {
      const marker = join(dir.path, `attack-${i}`);
      const [, sql] = attacks(marker)[i]!;
      await expect(load(sql)).rejects.toThrow(/holds a psql backslash command .* it did not run/);
      expect(existsSync(marker)).toBe(false);
      // The load is one transaction: the table it created before the command is gone too.
      expect(await query(db.url, "select to_regclass('public.res_partner') as t")).toEqual([{ t: null }]);
    },
  );

  it("refuses it in a masked load and in statements run one by one", async () => {
    const marker = join(dir.path, "masked");
    const run = newMaskRun("default", [], undefined);
    await expect(
      maskingDump(run, (masker) =>
        loadSql(db.url, Readable.from([`${TABLE}${ROWS}\\! touch ${marker}\n`]), [new DumpStream(masker)]),
      ),
    ).rejects.toThrow(/backslash command/);
    await expect(runSqlStatements(db.url, Readable.from([`\\! touch ${marker}\n`]))).rejects.toThrow(
      /backslash command/,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it("loads a real pg_dump, its own \\restrict lines and backslashes in its data included", async () => {
    const source = await createTestDatabase("restricted_src");
    try {
      await query(
        source.url,
        `${TABLE}insert into res_partner values (1, 'Anna'), (2, E'\\\\! echo no'), (3, E'\\\\restrict abc');`,
      );
      const dump = startPgTool("pg_dump", ["-Fp", "--no-owner"], source.url);
      const chunks: Buffer[] = [];
      for await (const chunk of dump.child.stdout!) chunks.push(chunk as Buffer);
      await dump.exited;
      const text = Buffer.concat(chunks).toString();
      expect(text).toMatch(/^\\restrict \S+$/m); // PostgreSQL 15.14+ writes its own
      await loadSql(db.url, Readable.from([text]));
      expect(await query(db.url, "select name from res_partner order by id")).toEqual([
        { name: "Anna" },
        { name: "\\! echo no" },
        { name: "\\restrict abc" },
      ]);
      await query(db.url, "drop table res_partner");
    } finally {
      await source.drop();
    }
  });

  it("gives the client tools none of the agent's other credentials", async () => {
    process.env.AWS_SECRET_ACCESS_KEY = "backup-writer-secret";
    try {
      const psql = startPgTool("psql", ["-X", "-qAt", "-c", "\\! env"], db.url);
      const chunks: Buffer[] = [];
      for await (const chunk of psql.child.stdout!) chunks.push(chunk as Buffer);
      await psql.exited;
      const env = Buffer.concat(chunks).toString();
      expect(env).toMatch(/^PGAPPNAME=odooops-agent$/m);
      expect(env).toMatch(/^PATH=/m);
      expect(env).not.toContain("backup-writer-secret");
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  it("refuses an Odoo zip whose dump.sql runs a command, and leaves no database behind", async () => {
    const marker = join(dir.path, "zip");
    const zip = new yazl.ZipFile();
    zip.addBuffer(
      Buffer.from(`-- PostgreSQL database dump\n${TABLE}${ROWS}\\! touch ${marker}\n`),
      "dump.sql",
    );
    const manifest = {
      odoo_dump: "1",
      db_name: "x",
      version: "17.0",
      major_version: "17.0",
      pg_version: "15.0",
    };
    zip.addBuffer(
      Buffer.from(JSON.stringify({ ...manifest, modules: { base: "17.0.1.3" } })),
      "manifest.json",
    );
    zip.end();
    const path = join(dir.path, "crafted.zip");
    await pipeline(zip.outputStream, createWriteStream(path));
    const target = `${db.name}_zip`;
    const run = await agent(
      "restore",
      "--db-url-env",
      envVar(withDatabase(db.url, target)),
      "--file",
      path,
      "--quiet",
    );
    expect(run.err).toMatch(/holds a psql backslash command/);
    expect(run.code).toBe(2);
    expect(existsSync(marker)).toBe(false);
    for (const name of [target, `${target}__restoring`])
      expect(await databaseExists(db.url, name), name).toBe(false);
  });
});
