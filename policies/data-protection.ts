import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isOdooContainer } from "../model/rules/containers.ts";
import {
  backupScheduleFindings,
  databaseProtectionProblems,
  imprecisePrincipals,
  retentionFindings,
} from "../model/rules/data-protection.ts";
import { maskingFindings, neutralizationFindings } from "../model/rules/environment-safety.ts";
import { formatFinding } from "../model/rules/finding.ts";
import { missingSteps } from "../model/rules/sanitize.ts";
import { containerFacts } from "./support/container-facts.ts";
import { forProject, known, type Props, records, resourceWhere, TYPES, text } from "./support/resources.ts";
import { StackGraph } from "./support/stack-graph.ts";

/** Production data: masked and neutralized when copied, kept long enough, never dropped by a change. */

export const stagingDataMasked: ResourceValidationPolicy = {
  name: "staging-data-masked",
  description: "Production data copied into staging is masked before anyone sees it.",
  enforcementLevel: "mandatory",
  validateResource: forProject((facts) => maskingFindings(facts.project, facts.stages)),
};

export const stagingDataNeutralized: ResourceValidationPolicy = {
  name: "staging-data-neutralized",
  description:
    "Production data copied into staging is neutralized: mail servers, crons, payments and webhooks off.",
  enforcementLevel: "mandatory",
  validateResource: forProject((facts) => neutralizationFindings(facts.project, facts.stages)),
};

const COMMAND_TYPES: readonly string[] = [TYPES.remoteCommand, "command:local:Command"];

export const prodDataSanitizedBeforeOdooStarts: StackValidationPolicy = {
  name: "prod-data-sanitized-before-odoo-starts",
  description: "Odoo starts on a copy of production only after the copy was neutralized and masked.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const graph = new StackGraph(args.resources);
    for (const env of graph.ofType(TYPES.environment)) {
      const facts = graph.facts(env);
      if (facts.database.kind !== "clone") continue;
      const odoo = graph
        .descendants(env)
        .filter((r) => r.type === TYPES.container && isOdooContainer(containerFacts(r.props as Props)));
      for (const container of odoo) {
        const commands = [...graph.prerequisites(container)]
          .filter((r) => COMMAND_TYPES.includes(r.type))
          .map((r) => known(() => text(r.props.create)));
        if (commands.includes(undefined)) continue; // a command line only known at deploy time
        const missing = missingSteps(commands as string[]);
        if (missing.length === 0) continue;
        report(
          formatFinding({
            what: `Odoo (${container.name}) starts on the production copy of ${facts.slug} without waiting for ${missing.join(" and ")}`,
            where: resourceWhere(container),
            fix: "make the Odoo container depend on the data agent's neutralize and mask commands for this build",
          }),
          container.urn,
        );
      }
    }
  },
};

export const productionDatabaseProtected: StackValidationPolicy = {
  name: "production-database-protected",
  description: "The production database cluster is protected: no change can replace or delete it.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const graph = new StackGraph(args.resources);
    for (const cluster of graph.ofType(TYPES.databaseCluster)) {
      if (!graph.stagesOf(cluster).includes("production")) continue;
      const problems = databaseProtectionProblems(cluster.opts);
      if (problems.length === 0) continue;
      report(
        formatFinding({
          what: `production database cluster ${cluster.name}: ${problems.join("; ")}`,
          where: resourceWhere(cluster),
          fix: "create the production cluster with { protect: true } and without deleteBeforeReplace; retire it only through a reviewed exception",
        }),
        cluster.urn,
      );
    }
  },
};

export const productionBackupRetention: ResourceValidationPolicy = {
  name: "production-backup-retention",
  description:
    "Production keeps at least 7 daily, 4 weekly and 3 monthly backups (Odoo.sh parity), taken at least daily.",
  enforcementLevel: "mandatory",
  validateResource: forProject((facts) =>
    facts.stages.includes("production")
      ? [...retentionFindings(facts.project), ...backupScheduleFindings(facts.project)]
      : [],
  ),
};

/**
 * The droplets a database firewall may admit: those of its environment (plus a project-wide host of
 * the same stage, the shared dev host), or, for a database the project's environments of one stage
 * share, the project's droplets of that stage.
 */
function admissible(graph: StackGraph, firewall: PolicyResource, droplet: PolicyResource): boolean {
  const env = graph.environmentOf(firewall);
  const dropletEnv = graph.environmentOf(droplet);
  if (env && dropletEnv) return dropletEnv === env;
  const sameProject = graph.projectOf(droplet) === graph.projectOf(firewall);
  const stages = graph.stagesOf(firewall);
  return sameProject && graph.stagesOf(droplet).some((s) => stages.includes(s));
}

export const databaseFirewallAdmitsOnlyEnvironmentHost: StackValidationPolicy = {
  name: "database-firewall-admits-only-environment-host",
  description:
    "A database firewall admits only the droplets of the environment (or shared host) the database serves.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const graph = new StackGraph(args.resources);
    for (const firewall of graph.ofType(TYPES.databaseFirewall)) {
      const rules =
        known(() => records(firewall.props.rules).map((r) => ({ type: text(r.type) ?? "" }))) ?? [];
      const problems: string[] = [];
      const imprecise = imprecisePrincipals(rules);
      if (imprecise.length > 0)
        problems.push(`it admits by ${[...new Set(imprecise)].join(", ")} instead of by droplet`);
      const droplets = firewall.dependencies.filter((d) => d.type === TYPES.droplet);
      const foreign = droplets.filter((d) => !admissible(graph, firewall, d));
      if (foreign.length > 0)
        problems.push(`it admits ${foreign.map((d) => d.name).join(", ")} of another environment`);
      if (droplets.length === 0 && rules.length > imprecise.length)
        problems.push("it admits droplets this program does not create");
      if (problems.length === 0) continue;
      report(
        formatFinding({
          what: `database firewall ${firewall.name}: ${problems.join("; ")}`,
          where: resourceWhere(firewall),
          fix: "give the database firewall one rule { type: droplet, value: <the environment host's id> } per host of that environment",
        }),
        firewall.urn,
      );
    }
  },
};

export const dataProtectionPolicies = [
  stagingDataMasked,
  stagingDataNeutralized,
  prodDataSanitizedBeforeOdooStarts,
  productionDatabaseProtected,
  productionBackupRetention,
  databaseFirewallAdmitsOnlyEnvironmentHost,
];
