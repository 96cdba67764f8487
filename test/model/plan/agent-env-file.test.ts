import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isOneLine } from "../../../model/one-line.ts";
import { agentEnvFileUpload, parseEnvFile, renderEnvFile } from "../../../model/plan/agent-env-file.ts";
import { formatProblem } from "../../../model/problem.ts";

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
/** Any text on one line: URLs, base64 keys, `=`, `#`, quotes and spaces are all kept verbatim. */
const value = fc.string({ unit: "binary", maxLength: 60 }).filter(isOneLine);

describe("the agent's environment file", () => {
  it("reads back exactly what it wrote, whatever the values hold", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(name, value), { selector: ([n]) => n, maxLength: 8 }), (pairs) => {
        const text = renderEnvFile(pairs.map(([n, v]) => `${n}=${v}`));
        const parsed = parseEnvFile(text, "/etc/odooops-agent.env");
        expect(parsed).toEqual({ ok: true, values: Object.fromEntries(pairs) });
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a URL's query and a key's padding, with no quoting to undo", () => {
    const url = "postgresql://odoo:p%40ss=w%23rd@db:25060/acme?sslmode=require";
    const text = renderEnvFile([`ODOOOPS_DB_URL=${url}`, "AWS_SECRET_ACCESS_KEY=ab+/cd=="]);
    expect(text).toBe(`ODOOOPS_DB_URL=${url}\nAWS_SECRET_ACCESS_KEY=ab+/cd==\n`);
  });

  it.each(["\n", "\r", "\0", "\x85", "\u2028"])("refuses to write a value holding %j", (breaking) => {
    expect(() => renderEnvFile([`SUPABASE_KEY=abc${breaking}ODOOOPS_PRODUCTION_DB_URL=`])).toThrow(
      "environment file: the value of SUPABASE_KEY holds a line break or control character",
    );
  });

  it("refuses to write a name that is not one", () => {
    expect(() => renderEnvFile(["NOT A NAME=x"])).toThrow('"NOT A NAME" is not a variable name');
  });

  it("names the line of a mistake without printing what is on it", () => {
    const parsed = parseEnvFile("# comment\n\nA=1\nsecret-value-here\nA=2\n", "/etc/odooops-agent.env");
    if (parsed.ok) throw new Error("parsed a broken file");
    expect(parsed.problems.map(formatProblem)).toEqual([
      "/etc/odooops-agent.env:4:1 expected NAME=value",
      "/etc/odooops-agent.env:5:1 A is set twice",
    ]);
  });

  it("is uploaded read-only", () => {
    expect(agentEnvFileUpload(["A=1"])).toEqual({
      file: "/etc/odooops-agent.env",
      content: "A=1\n",
      permissions: "0444",
    });
  });
});
