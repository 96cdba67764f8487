import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { projectJsonSchema } from "../../../model/input/json-schema.ts";

describe("projects/schema.json", () => {
  it("is generated from the zod schema and up to date (run `npm run schema`)", () => {
    expect(readFileSync("projects/schema.json", "utf8")).toBe(projectJsonSchema());
  });

  it("is referenced by every example project", () => {
    for (const file of ["examples/projects/hello.yaml", "examples/projects/acme-erp.yaml"])
      expect(readFileSync(file, "utf8").split("\n")[0]).toBe(
        "# yaml-language-server: $schema=../../projects/schema.json",
      );
  });

  it("rejects unknown keys for editors too", () => {
    const schema = JSON.parse(projectJsonSchema()) as { additionalProperties: boolean; required: string[] };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["name", "repo", "environments"]));
  });
});
