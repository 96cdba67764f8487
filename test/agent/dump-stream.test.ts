import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCopyHeader, unescapeField } from "../../agent/sql-stream/copy-format.ts";
import { type DumpObserver, DumpStream } from "../../agent/sql-stream/dump-stream.ts";

const DUMP = [
  "--\n-- PostgreSQL database dump\n--\n",
  "SET client_encoding = 'UTF8';\n",
  "CREATE TABLE public.res_partner (\n    id integer NOT NULL,\n    name character varying\n);\n",
  "COPY public.res_partner (id, name) FROM stdin;\n",
  "1\tAnna\n2\t\\N\n3\tBen\\tTab\n",
  "\\.\n",
  'COPY public."user data" (id, "first name") FROM stdin;\n',
  "\\.\n",
  "COPY public.mail_message (id, body) FROM stdin;\n",
  "7\t<p>hi</p>\n8\tsecond\\nline\n",
  "\\.\n",
  "CREATE INDEX x ON public.res_partner USING btree (name);\n",
].join("");

/** Feeds `text` through a DumpStream in the given chunk sizes and collects output and block facts. */
async function run(text: string, sizes: number[], observer: DumpObserver = {}) {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  const blocks: [string, number][] = [];
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks),
    new DumpStream({ ...observer, copyEnd: (h, rows) => blocks.push([h.table, rows]) }),
    new Writable({
      write(chunk, _enc, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return { output: Buffer.concat(out).toString(), blocks };
}

describe("plain dump streaming", () => {
  it("passes a dump through unchanged and counts the rows of each COPY block, however it is chunked", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        async (sizes) => {
          const { output, blocks } = await run(DUMP, sizes);
          expect(output).toBe(DUMP);
          expect(blocks).toEqual([
            ["res_partner", 3],
            ["user data", 0],
            ["mail_message", 2],
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("hands the rows of a rewritten table to its handler, line by line", async () => {
    const seen: string[] = [];
    const { output } = await run(DUMP, [7, 3, 11], {
      copyStart: (h) =>
        h.table === "res_partner"
          ? {
              row: (b, s, e, out) => {
                seen.push(b.toString("utf8", s, e));
                out.text("x\tmasked\n");
              },
            }
          : undefined,
    });
    expect(seen).toEqual(["1\tAnna", "2\t\\N", "3\tBen\\tTab"]);
    expect(output).toContain(
      "COPY public.res_partner (id, name) FROM stdin;\nx\tmasked\nx\tmasked\nx\tmasked\n\\.\n",
    );
  });

  it("refuses a dump cut off inside a table's data", async () => {
    const cut = DUMP.slice(0, DUMP.indexOf("2\t\\N"));
    await expect(run(cut, [5])).rejects.toThrow(/truncated/);
  });
});

describe("COPY text format", () => {
  it("reads headers with quoted identifiers", () => {
    expect(parseCopyHeader('COPY public."user data" (id, "first name", "a""b") FROM stdin;')).toEqual({
      schema: "public",
      table: "user data",
      columns: ["id", "first name", 'a"b'],
    });
    expect(parseCopyHeader("COPY public.t (id) TO stdout;")).toBeUndefined();
  });

  it("unescapes what COPY escapes", () => {
    const field = Buffer.from("a\\tb\\\\c\\nd\\101\\x42");
    expect(Buffer.from(unescapeField(field, 0, field.length)).toString()).toBe("a\tb\\c\ndAB");
  });
});
