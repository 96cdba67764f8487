/**
 * What a rule found, in the three parts every violation message carries: what is wrong, the field it is
 * about (the policy turns it into `file:line:col field` through the component's `sources`) and how to
 * fix it. Rules return findings; policies only report them.
 */
export interface RuleFinding {
  /** Field path in the project file, e.g. `environments.staging.clone.mask` or `branches[2].ttl`. */
  field: string;
  what: string;
  fix: string;
}

/**
 * Violation messages have three parts — what is wrong, where, how to fix it — one per line, so that
 * `pulumi preview --policy-pack` prints them readably and the offline plan can split them again.
 */
export interface Finding {
  what: string;
  /** `file:line:col field` when the fact came from YAML; a resource or catalog entry otherwise. */
  where?: string | undefined;
  fix: string;
}

const WHERE = "where: ";
const FIX = "fix: ";

export function formatFinding(finding: Finding): string {
  const lines = [finding.what];
  if (finding.where) lines.push(`${WHERE}${finding.where}`);
  lines.push(`${FIX}${finding.fix}`);
  return lines.join("\n");
}

/** The parts of a message made by formatFinding; any other message is all "what". */
export function parseFinding(message: string): Finding {
  const lines = message.split("\n");
  const where = lines.find((l) => l.startsWith(WHERE))?.slice(WHERE.length);
  const fix = lines.find((l) => l.startsWith(FIX))?.slice(FIX.length) ?? "";
  const what = lines.filter((l) => !l.startsWith(WHERE) && !l.startsWith(FIX)).join("\n");
  return { what, where, fix };
}
