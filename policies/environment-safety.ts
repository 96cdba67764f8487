import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isMailpitContainer, isOdooContainer, networkNames, smtpTargets } from "../model/rules/containers.ts";
import {
  expiryFindings,
  expiryTagProblem,
  mailCatcherFindings,
  odooOptionFindings,
  smtpEgressFindings,
} from "../model/rules/environment-safety.ts";
import { formatFinding } from "../model/rules/finding.ts";
import { openSmtpPorts } from "../model/rules/network.ts";
import { containerFacts } from "./support/container-facts.ts";
import {
  forProject,
  forType,
  known,
  type Props,
  records,
  resourceWhere,
  strings,
  TYPES,
  text,
} from "./support/resources.ts";
import { StackGraph, tagsOf } from "./support/stack-graph.ts";

/**
 * Environment safety outside production (seed 001 FR-4): mail captured, SMTP egress blocked, a TTL or an
 * explicit keep, platform-owned odoo.conf options left to the platform.
 */

export const nonProductionMailCatcher: ResourceValidationPolicy = {
  name: "non-production-mail-catcher",
  description: "Every non-production environment runs Mailpit and points Odoo's SMTP at it.",
  enforcementLevel: "mandatory",
  validateResource: forProject((facts) => mailCatcherFindings(facts.project, facts.stages)),
};

export const nonProductionSmtpEgressBlocked: ResourceValidationPolicy = {
  name: "non-production-smtp-egress-blocked",
  description: "Non-production hosts may not open outbound SMTP connections (ports 25, 465, 587, 2525).",
  enforcementLevel: "mandatory",
  validateResource: forProject((facts) => smtpEgressFindings(facts.project, facts.stages)),
};

/** The firewall a non-production host gets must leave the SMTP ports out of its outbound allow-list. */
export const nonProductionFirewallBlocksSmtp: StackValidationPolicy = {
  name: "non-production-firewall-blocks-smtp",
  description: "Firewalls of non-production hosts allow no outbound SMTP (ports 25, 465, 587, 2525).",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const graph = new StackGraph(args.resources);
    for (const firewall of graph.ofType(TYPES.firewall)) {
      const stages = graph.stagesOf(firewall).filter((s) => s !== "production");
      if (stages.length === 0) continue;
      const outbound = known(() => providerRules(firewall.props.outboundRules, "destinationAddresses"));
      const open = outbound ? openSmtpPorts(outbound) : [];
      if (open.length === 0) continue;
      report(
        formatFinding({
          what: `firewall ${firewall.name} of ${stages.join("/")} hosts lets outbound SMTP through on port(s) ${open.join(", ")}`,
          where: resourceWhere(firewall),
          fix: "leave ports 25, 465, 587 and 2525 out of the outbound TCP rules (DigitalOcean firewalls are allow-lists)",
        }),
        firewall.urn,
      );
    }
  },
};

/** Inbound/outbound rules as the provider takes them, with the address list of their direction. */
export function providerRules(value: unknown, addressKey: "sourceAddresses" | "destinationAddresses") {
  return records(value).map((rule) => ({
    protocol: text(rule.protocol) ?? "",
    portRange: text(rule.portRange),
    action: text(rule.action),
    addresses: strings(rule[addressKey]),
  }));
}

/** Where Odoo runs outside production, Mailpit runs in the same project and Odoo's SMTP names it. */
export const nonProductionMailpitDeployed: StackValidationPolicy = {
  name: "non-production-mailpit-deployed",
  description: "Odoo outside production sends mail only to a Mailpit container of its project.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const graph = new StackGraph(args.resources);
    const containers = (scope: PolicyResource) =>
      graph.descendants(scope).filter((r) => r.type === TYPES.container);
    for (const env of graph.ofType(TYPES.environment)) {
      const facts = graph.facts(env);
      if (facts.stage === "production") continue;
      const odoo = containers(env).filter((c) => isOdooContainer(containerFacts(c.props as Props)));
      if (odoo.length === 0) continue;
      const mailpits = containers(graph.projectOf(env) ?? env).filter((c) =>
        isMailpitContainer(containerFacts(c.props as Props)),
      );
      const names = new Set(mailpits.flatMap((m) => networkNames(containerFacts(m.props as Props))));
      for (const container of odoo) {
        const targets = smtpTargets(containerFacts(container.props as Props));
        const wrong = targets.filter((t) => t === null || !names.has(t.replace(/:\d+$/, "")));
        if (targets.length === 0 || (mailpits.length > 0 && wrong.length === 0)) continue;
        const target = wrong[0];
        const what =
          mailpits.length === 0
            ? `${facts.stage} environment ${facts.slug} runs Odoo (${container.name}) but no Mailpit container`
            : `Odoo (${container.name}) in ${facts.stage} environment ${facts.slug} sends mail to ${target ?? "localhost (no smtp_server)"}, not to Mailpit (${[...names].join(", ")})`;
        report(
          formatFinding({
            what,
            where: resourceWhere(container),
            fix: "run Mailpit in the environment and set Odoo's smtp_server to the Mailpit container's name",
          }),
          container.urn,
        );
      }
    }
  },
};

export const nonProductionExpiry: ResourceValidationPolicy = {
  name: "non-production-expiry",
  description:
    "Every non-production environment expires after its TTL unless its branch is listed under keep.",
  enforcementLevel: "mandatory",
  validateResource: [
    forProject((facts) => expiryFindings(facts.project, facts.stages)),
    forType(TYPES.droplet, (props, args, report) => {
      const problem = expiryTagProblem(tagsOf({ props }));
      if (problem)
        report(
          formatFinding({
            what: problem,
            where: resourceWhere(args),
            fix: "tag the droplet odooops:expires:<YYYY-MM-DD> (its environment's expiry) or odooops:expires:never for kept branches",
          }),
        );
    }),
  ],
};

export const odooOptionsNotPlatformOwned: ResourceValidationPolicy = {
  name: "odoo-options-not-platform-owned",
  description:
    "odooOptions may tune Odoo but not set what the platform owns (mail, database, master password).",
  enforcementLevel: "mandatory",
  validateResource: forProject((facts) => odooOptionFindings(facts.project)),
};

export const environmentSafetyPolicies = [
  nonProductionMailCatcher,
  nonProductionSmtpEgressBlocked,
  nonProductionFirewallBlocksSmtp,
  nonProductionMailpitDeployed,
  nonProductionExpiry,
  odooOptionsNotPlatformOwned,
];
