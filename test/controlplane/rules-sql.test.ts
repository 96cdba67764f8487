import { describe, expect, it } from "vitest";
import {
  changedRuleFunctions,
  governanceRulesSql,
  type RuleFunction,
  ruleFunctions,
  rulesInForce,
  rulesMigrationSql,
} from "../../controlplane/rules-sql.ts";

/** model/ as if one rule had changed: gate G2 renamed. */
function withRenamedGate(functions: readonly RuleFunction[]): RuleFunction[] {
  return functions.map((f) =>
    f.signature === "ops.gate_name(text)"
      ? { ...f, sql: f.sql.replace("'Validation Readiness'", "'Validation'") }
      : f,
  );
}

describe("generated governance rules", () => {
  it("defines every function once in the whole rules, and grants each to the API roles", () => {
    const sql = governanceRulesSql();
    for (const f of ruleFunctions()) {
      const name = f.signature.slice(0, f.signature.indexOf("("));
      expect(sql.split(`create or replace function ${name}(`).length - 1, name).toBe(1);
      expect(sql, name).toContain(`  ${f.signature}`);
    }
    expect(sql).toMatch(/from public;\ngrant execute on function\n[^;]+\nto authenticated, service_role;\n$/);
  });

  it("finds nothing changed when the migrations hold model/'s rules", () => {
    expect(changedRuleFunctions([governanceRulesSql()])).toEqual([]);
  });

  it("emits only the functions that changed, and the newest definition is the one in force", () => {
    const changed = changedRuleFunctions([governanceRulesSql()], withRenamedGate(ruleFunctions()));
    expect(changed.map((f) => f.signature)).toEqual(["ops.gate_name(text)"]);
    const migration = rulesMigrationSql(changed);
    expect(migration.match(/create or replace function/g)).toHaveLength(1);
    expect(migration).toContain("revoke execute on function\n  ops.gate_name(text)\nfrom public;");
    const inForce = rulesInForce([governanceRulesSql(), migration]);
    expect(inForce.get("ops.gate_name")).toContain("'Validation'");
    expect(inForce.get("ops.gate_stage")).toBe(
      ruleFunctions()
        .find((f) => f.signature === "ops.gate_stage(text, text)")
        ?.sql.trim(),
    );
    expect(changedRuleFunctions([governanceRulesSql(), migration], withRenamedGate(ruleFunctions()))).toEqual(
      [],
    );
  });

  it("emits every function when no rules migration exists yet", () => {
    expect(changedRuleFunctions([])).toEqual(ruleFunctions());
  });
});
