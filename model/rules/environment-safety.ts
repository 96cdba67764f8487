import { parseDuration } from "../duration.ts";
import { isLiteralPattern } from "../glob.ts";
import { MAX_NON_PRODUCTION_TTL_DAYS } from "../governance/governance-limits.ts";
import type { Project } from "../input/schema/project.ts";
import { NON_PRODUCTION_STAGES, type Stage } from "../stages.ts";
import type { RuleFinding } from "./finding.ts";
import { platformOwnedOptions } from "./odoo-options.ts";

/**
 * Seed 001 FR-4, environment safety in every non-production environment: mail captured, external
 * integrations neutralized, TTL or explicit keep, prod-derived data masked. These read the project file
 * for the stages a stack owns, so one unsafe line gives one finding, whether or not a branch is live.
 */
const DAY_MS = 86_400_000;
type NonProduction = (typeof NON_PRODUCTION_STAGES)[number];

export function nonProductionStages(stages: readonly Stage[]): NonProduction[] {
  return NON_PRODUCTION_STAGES.filter((s) => stages.includes(s));
}

export function mailCatcherFindings(project: Project, stages: readonly Stage[]): RuleFinding[] {
  return nonProductionStages(stages)
    .filter((stage) => !project.environments[stage].mailCatcher)
    .map((stage) => ({
      field: `environments.${stage}.mailCatcher`,
      what: `${stage} runs without Mailpit (mailCatcher: false), so Odoo's outgoing mail has no catcher and can reach real customers`,
      fix: `remove mailCatcher: false from environments.${stage}; Mailpit is on by default`,
    }));
}

export function smtpEgressFindings(project: Project, stages: readonly Stage[]): RuleFinding[] {
  return nonProductionStages(stages)
    .filter((stage) => project.environments[stage].smtpEgress !== "blocked")
    .map((stage) => ({
      field: `environments.${stage}.smtpEgress`,
      what: `${stage} hosts may open outbound SMTP connections (smtpEgress: allowed), so mail can bypass Mailpit`,
      fix: `remove smtpEgress: allowed from environments.${stage}; outbound SMTP is blocked by default`,
    }));
}

export function maskingFindings(project: Project, stages: readonly Stage[]): RuleFinding[] {
  if (!stages.includes("staging") || project.environments.staging.clone.mask !== "none") return [];
  return [
    {
      field: "environments.staging.clone.mask",
      what: "staging copies production data without masking (mask: none): customer names, e-mails and addresses reach every tester",
      fix: "set environments.staging.clone.mask to default or strict",
    },
  ];
}

export function neutralizationFindings(project: Project, stages: readonly Stage[]): RuleFinding[] {
  if (!stages.includes("staging") || project.environments.staging.clone.neutralize) return [];
  return [
    {
      field: "environments.staging.clone.neutralize",
      what: "staging starts Odoo on a production copy without neutralizing it (neutralize: false): crons, mail servers, payment providers and webhooks stay live",
      fix: "remove neutralize: false from environments.staging.clone; neutralization is on by default",
    },
  ];
}

/**
 * `ttl: never` keeps every branch a rule matches forever. An explicit keep names branches one by one, so
 * only a literal rule whose branch is listed under `keep` may say never.
 */
export function expiryFindings(project: Project, stages: readonly Stage[]): RuleFinding[] {
  const owned = nonProductionStages(stages) as readonly Stage[];
  return project.branches.flatMap((rule, index) => {
    if (rule.ttl === undefined || !owned.includes(rule.stage)) return [];
    if (isLiteralPattern(rule.match) && project.keep.includes(rule.match)) return [];
    const ms = parseDuration(rule.ttl);
    if (ms !== undefined && ms > MAX_NON_PRODUCTION_TTL_DAYS * DAY_MS)
      return [
        {
          field: `branches[${index}].ttl`,
          what: `the ${rule.stage} rule "${rule.match}" has ttl: ${rule.ttl}, longer than the ${MAX_NON_PRODUCTION_TTL_DAYS} days a non-production environment may live unattended`,
          fix: `give branches[${index}] a ttl of at most ${MAX_NON_PRODUCTION_TTL_DAYS}d, and list branches that must live on under keep`,
        },
      ];
    if (rule.ttl !== "never") return [];
    return [
      {
        field: `branches[${index}].ttl`,
        what: `the ${rule.stage} rule "${rule.match}" has ttl: never, so its environments never expire and nobody decided to keep them`,
        fix: `give branches[${index}] a ttl such as 7d, and list branches that must live on under keep`,
      },
    ];
  });
}

export function odooOptionFindings(project: Project): RuleFinding[] {
  return platformOwnedOptions(project.odooOptions).map(({ key, reason }) => ({
    field: `odooOptions.${key}`,
    what: `odooOptions sets ${key}, which the platform owns (${reason}); the generated odoo.conf ignores it`,
    fix: `remove ${key} from odooOptions`,
  }));
}

/** A droplet outside production carries `odooops:expires:<YYYY-MM-DD>` or `odooops:expires:never`. */
export function expiryTagProblem(tags: readonly string[]): string | undefined {
  const stage = tags.find((t) => t.startsWith("odooops:stage:"))?.slice("odooops:stage:".length);
  if (stage === undefined || stage === "production") return undefined;
  const expiry = tags.filter((t) => t.startsWith("odooops:expires:"));
  if (expiry.length === 0)
    return `this ${stage} droplet has no odooops:expires tag, so the reaper never removes it`;
  const value = expiry[0]!.slice("odooops:expires:".length);
  if (expiry.length > 1 || !/^(\d{4}-\d{2}-\d{2}|never)$/.test(value))
    return `this ${stage} droplet's expiry tags (${expiry.join(", ")}) are not one odooops:expires:<YYYY-MM-DD|never>`;
  return undefined;
}
