import { isDigestPinned, pinningProblem } from "../../rules/supply-chain.ts";
import { OPENUPGRADE_TARGETS, openUpgradeSteps } from "./openupgrade.ts";

/**
 * What `odooops upgrade preview --to …` tries: a major version (OpenUpgrade, one run per version
 * passed through) or a new image of the same version (a module update, as a staging build runs).
 */
export type UpgradeCandidate =
  | { kind: "major"; from: string; to: string; steps: string[] }
  | { kind: "image"; version: string; image: string };

const VERSION = /^\d{2}\.0$/;

/** The candidate `--to` names for a project on `current`, or why it is not one (a sentence). */
export function upgradeCandidate(to: string, current: string): UpgradeCandidate | string {
  if (VERSION.test(to)) {
    if (Number.parseInt(to, 10) <= Number.parseInt(current, 10))
      return `--to ${to}: the project is on ${current}; a major upgrade goes to a later version (an image of ${current} is named by its digest)`;
    const steps = openUpgradeSteps(current, to);
    const uncovered = steps.filter((s) => !(OPENUPGRADE_TARGETS as readonly string[]).includes(s));
    if (uncovered.length > 0)
      return `--to ${to}: OpenUpgrade has no branch migrating to ${uncovered.join(", ")} (it covers ${OPENUPGRADE_TARGETS.join(", ")})`;
    return { kind: "major", from: current, to, steps };
  }
  if (isDigestPinned(to)) return { kind: "image", version: current, image: to };
  return `--to ${to}: name an Odoo version (e.g. 18.0) or an image by digest; ${pinningProblem(to) ?? "not an image reference"}`;
}

export function describeCandidate(c: UpgradeCandidate): string {
  return c.kind === "major"
    ? `Odoo ${c.from} → ${c.to} with OpenUpgrade (${c.steps.join(" → ")})`
    : `image ${c.image} (module update on ${c.version})`;
}
