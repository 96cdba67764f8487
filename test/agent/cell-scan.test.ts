import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanCells } from "../../agent/mask/cell-scan.ts";
import { ValueHashes } from "../../agent/mask/value-hashes.ts";
import { createTestDatabase } from "../support/databases.ts";

/**
 * The leak scan's read of the copy: every cell of every row streamed once, each distinct value of a
 * column asked once, and every repeat of a leaking value counted, with the lowest row id as the example.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let client: pg.Client;
const hashes = new ValueHashes(11);

beforeAll(async () => {
  db = await createTestDatabase("cell_scan");
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const register = (text: string, strategy: "name" | "email" | "prose") => {
    const b = Buffer.from(text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t"));
    hashes.add(b, 0, b.length, false, strategy);
  };
  register("Anna Peeters", "name");
  register("anna.peeters@mail.example", "email");
  register("Private\tnote\nwith a \\ backslash", "prose");
  await client.query(`
    create table notes (id int primary key, memo text, state varchar, props jsonb);
    insert into notes values
      (5, 'Call Anna Peeters', 'draft', null),
      (2, 'Call Anna Peeters', 'draft', '{"contact": "ANNA.PEETERS@mail.example"}'),
      (9, 'Call Anna Peeters', 'done', null),
      (7, E'Private\\tnote\\nwith a \\\\ backslash', 'draft', '{"contact": "ANNA.PEETERS@mail.example"}'),
      (3, 'nothing here', 'draft', '{}'),
      (4, null, 'x', null);
    create table log_lines (line text);
    insert into log_lines select 'line ' || g from generate_series(1, 50) g;
    insert into log_lines values ('mail to anna.peeters@mail.example'), ('mail to anna.peeters@mail.example');
  `);
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

describe("scanning the copy's cells", () => {
  it("counts every repeat of a leaking value, whole or inside text, with the lowest id as the example", async () => {
    const leaks = await scanCells(client, hashes, [
      { schema: "public", table: "notes", columns: ["memo", "state", "props"], hasId: true },
      { schema: "public", table: "log_lines", columns: ["line"], hasId: false },
    ]);
    expect(leaks).toEqual([
      { table: "notes", column: "memo", cells: 4, exampleId: "2", example: "a••• p••••••" },
      { table: "notes", column: "props", cells: 2, exampleId: "2", example: "a•••.p••••••@m•••.e••••••" },
      { table: "log_lines", column: "line", cells: 2, exampleId: null, example: "a•••.p••••••@m•••.e••••••" },
    ]);
  });

  it("finds nothing in a table of clean cells, and reads it in a transaction of its own when asked", async () => {
    const leaks = await scanCells(
      client,
      hashes,
      [{ schema: "public", table: "notes", columns: ["state"], hasId: true }],
      { tableByTable: true },
    );
    expect(leaks).toEqual([]);
  });
});
