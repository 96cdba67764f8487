import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { policyMapTable, README, withTable } from "../../scripts/generate-policy-map.ts";

/** A table cell's list in a fixed order: moving or renaming files may reorder imports, not change the map. */
const normalized = (markdown: string) =>
  markdown
    .split("\n")
    .map((line) =>
      line
        .split(" | ")
        .map((cell) => cell.split(", ").sort().join(", "))
        .join(" | "),
    )
    .join("\n");

describe("policies/README.md's YAML field → component → policy → test table", () => {
  it("is what scripts/generate-policy-map.ts writes from the corpus, the pack and the components", async () => {
    const readme = readFileSync(README, "utf8");
    expect(normalized(readme), "run npx tsx scripts/generate-policy-map.ts").toBe(
      normalized(withTable(readme, await policyMapTable())),
    );
  });

  it("follows environments.staging.smtpEgress from the field to its policy, rule and tests", async () => {
    const row = (await policyMapTable())
      .split("\n")
      .find((l) => l.startsWith("| `environments.staging.smtpEgress`"));
    expect(row).toContain("`non-production-smtp-egress-blocked`");
    expect(row).toContain("`policies/environment-safety.ts`");
    expect(row).toContain("`model/rules/environment-safety.ts`");
    expect(row).toContain("`smtp-egress-staging.yaml`");
  });
});
