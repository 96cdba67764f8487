/**
 * A staging copy of production is neutralized and masked before Odoo starts on it. The data agent's
 * commands (`odooops agent neutralize …`, `odooops agent mask …`) do the work; a rule recognizes them
 * in the commands an Odoo container waits for.
 */
export type SanitizingStep = "neutralize" | "mask";

const STEP_PATTERN: Readonly<Record<SanitizingStep, RegExp>> = {
  neutralize: /\bneutrali[sz]e\b/,
  mask: /\bmask\b/,
};

/** The sanitizing steps a command line runs. */
export function stepsIn(command: string): SanitizingStep[] {
  return (Object.keys(STEP_PATTERN) as SanitizingStep[]).filter((step) => STEP_PATTERN[step].test(command));
}

/** Steps a prod-derived database still needs before Odoo may start, given the commands run before it. */
export function missingSteps(commandsBefore: readonly string[]): SanitizingStep[] {
  const done = new Set(commandsBefore.flatMap(stepsIn));
  return (Object.keys(STEP_PATTERN) as SanitizingStep[]).filter((step) => !done.has(step));
}
