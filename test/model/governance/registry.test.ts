import { describe, expect, it } from "vitest";
import {
  ACTIONS,
  authorize,
  DECISION_RIGHTS,
  decisionCells,
} from "../../../model/governance/decision-rights.ts";
import { EXPERTISE_CODES } from "../../../model/governance/expertise.ts";
import { MEMBER_ROLES, PERSONA_CODES } from "../../../model/governance/personas.ts";
import {
  personasOfAgent,
  REGISTRY,
  type Registry,
  registryProblems,
} from "../../../model/governance/registry.ts";

type MutableRegistry = { -readonly [K in keyof Registry]: Registry[K][number][] };
type Change = (r: MutableRegistry) => void;

function mutate(change: Change): string[] {
  const copy = structuredClone({
    personas: [...REGISTRY.personas],
    expertise: [...REGISTRY.expertise],
    agents: [...REGISTRY.agents],
  });
  change(copy);
  return registryProblems(copy);
}

describe("governance registry (seeds 000/001)", () => {
  it("is consistent: four personas, ten domains, every agent mapped", () => {
    expect(registryProblems(REGISTRY)).toEqual([]);
    expect(REGISTRY.personas.map((p) => p.code)).toEqual([...PERSONA_CODES]);
    expect(REGISTRY.expertise.map((d) => d.code).sort()).toEqual([...EXPERTISE_CODES].sort());
  });

  it.each<[string, Change, string]>([
    [
      "a persona without decision rights",
      (r) => {
        r.personas[0]!.decisionRights = [];
      },
      "persona developer has no decision rights",
    ],
    [
      "a persona without KPIs",
      (r) => {
        r.personas[1]!.kpis = [];
      },
      "persona qa_tester has no KPIs",
    ],
    [
      "a persona with six outcomes",
      (r) => {
        r.personas[2]!.outcomes = ["a", "b", "c", "d", "e", "f"];
      },
      "persona release_manager has 6 outcomes; it needs 3 to 5",
    ],
    [
      "a missing persona",
      (r) => {
        r.personas.pop();
      },
      "personas must be exactly developer, qa_tester, release_manager, sre",
    ],
    [
      "a domain mapped to no persona",
      (r) => {
        r.expertise[3]!.personas = [];
      },
      "expertise domain odoo.qa.staging_validation is mapped to no persona",
    ],
    [
      "an eleventh domain",
      (r) => {
        r.expertise.push({ ...r.expertise[0]!, code: "odoo.extra" as never });
      },
      "expertise domains must be exactly the ten odoo.* domains",
    ],
    [
      "an agent with no domain",
      (r) => {
        r.agents[0]!.domains = [];
      },
      "agent app-build maps to no expertise domain",
    ],
    [
      "an agent on an unknown domain",
      (r) => {
        r.agents[0]!.domains = ["odoo.nope" as never];
      },
      "agent app-build maps to unknown domain odoo.nope",
    ],
  ])("rejects %s", (_what, change, expected) => {
    expect(mutate(change).some((p) => p.startsWith(expected))).toBe(true);
  });

  it("derives the personas an agent acts for through its domains", () => {
    expect(personasOfAgent("data-agent")).toEqual(["developer", "qa_tester", "release_manager", "sre"]);
    expect(personasOfAgent("drift-check")).toEqual(["release_manager", "sre"]);
    expect(() => personasOfAgent("nobody")).toThrow('unknown agent "nobody"');
  });
});

describe("decision rights", () => {
  it.each([
    ["qa_tester", "gate.sign.G2", "staging", true],
    ["qa_tester", "gate.sign.G3", "production", false],
    ["release_manager", "gate.sign.G3", "production", true],
    ["developer", "deploy", "production", false],
    ["developer", "deploy", "development", true],
    ["sre", "shell.open", "production", true],
    ["developer", "shell.open", "production", false],
    ["auditor", "audit.read", "production", true],
    ["auditor", "deploy", "development", false],
    ["release_manager", "exception.approve", "production", true],
    ["developer", "exception.approve", "production", false],
    ["sre", "restore.drill", "production", true],
  ] as const)("%s may %s in %s: %s", (role, action, stage, allowed) => {
    expect(authorize(role, action, stage).allowed).toBe(allowed);
  });

  it("explains a refusal with who may act instead", () => {
    expect(authorize("developer", "deploy", "production").reason).toBe(
      "developer may not deploy in production: only release_manager may deploy in production",
    );
    expect(authorize("sre", "release.create", "staging").reason).toBe(
      "sre may not release.create in staging: nobody may release.create in staging",
    );
  });

  it("gives the auditor read access only", () => {
    const writes = ACTIONS.filter((a) => a !== "audit.read");
    for (const action of writes)
      for (const cell of Object.values(DECISION_RIGHTS[action])) expect(cell).not.toContain("auditor");
  });

  it("enumerates every cell of the table", () => {
    expect([...decisionCells(MEMBER_ROLES)]).toHaveLength(MEMBER_ROLES.length * ACTIONS.length * 3);
  });
});
