import { AGENTS, type AgentCapability } from "./agents.ts";
import { ACTIONS, DECISION_RIGHTS } from "./decision-rights.ts";
import { EXPERTISE, EXPERTISE_CODES, type ExpertiseDomain } from "./expertise.ts";
import { PERSONA_CODES, PERSONAS, type Persona } from "./personas.ts";

/** The governance registry (seeds 000/001): personas, expertise domains, agents. */
export interface Registry {
  personas: readonly Persona[];
  expertise: readonly ExpertiseDomain[];
  agents: readonly AgentCapability[];
}

export const REGISTRY: Registry = { personas: PERSONAS, expertise: EXPERTISE, agents: AGENTS };

/** Every way the registry breaks the seeds' rules, as sentences; empty when it is consistent. */
export function registryProblems(registry: Registry): string[] {
  const problems: string[] = [];
  const personaCodes = registry.personas.map((p) => p.code);
  if (personaCodes.length !== PERSONA_CODES.length || !PERSONA_CODES.every((c) => personaCodes.includes(c)))
    problems.push(`personas must be exactly ${PERSONA_CODES.join(", ")}; found ${personaCodes.join(", ")}`);

  for (const persona of registry.personas) {
    const where = `persona ${persona.code}`;
    if (persona.outcomes.length < 3 || persona.outcomes.length > 5)
      problems.push(`${where} has ${persona.outcomes.length} outcomes; it needs 3 to 5`);
    if (persona.decisionRights.length === 0) problems.push(`${where} has no decision rights`);
    if (!ACTIONS.some((a) => Object.values(DECISION_RIGHTS[a]).some((cell) => cell?.includes(persona.code))))
      problems.push(`${where} holds no cell of the decision-rights table`);
    if (persona.prohibited.length === 0) problems.push(`${where} has no prohibited actions`);
    if (persona.kpis.length === 0) problems.push(`${where} has no KPIs`);
    if (persona.failureModes.length === 0) problems.push(`${where} has no failure modes`);
  }

  const domainCodes = registry.expertise.map((d) => d.code);
  if (domainCodes.length !== EXPERTISE_CODES.length || !EXPERTISE_CODES.every((c) => domainCodes.includes(c)))
    problems.push(
      `expertise domains must be exactly the ten odoo.* domains; found ${domainCodes.join(", ")}`,
    );
  for (const domain of registry.expertise) {
    const mapped = domain.personas.filter((p) => personaCodes.includes(p));
    if (mapped.length === 0) problems.push(`expertise domain ${domain.code} is mapped to no persona`);
    if (domain.requiredEvidence.length === 0)
      problems.push(`expertise domain ${domain.code} requires no evidence`);
  }

  for (const agent of registry.agents) {
    if (agent.domains.length === 0) problems.push(`agent ${agent.id} maps to no expertise domain`);
    for (const d of agent.domains)
      if (!domainCodes.includes(d)) problems.push(`agent ${agent.id} maps to unknown domain ${d}`);
  }
  return problems;
}

/** Personas an agent acts for, derived through its domains (agent → domain → persona). */
export function personasOfAgent(agentId: string, registry: Registry = REGISTRY): string[] {
  const agent = registry.agents.find((a) => a.id === agentId);
  if (!agent) throw new Error(`unknown agent "${agentId}"`);
  const personas = registry.expertise
    .filter((d) => agent.domains.includes(d.code))
    .flatMap((d) => d.personas);
  return [...new Set(personas)].sort();
}
