import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isOdooContainer } from "../model/rules/containers.ts";
import { formatFinding } from "../model/rules/finding.ts";
import {
  advisedOptionFindings,
  odooConfProblems,
  refusedOptionFindings,
} from "../model/rules/odoo-server.ts";
import { containerFacts } from "./support/container-facts.ts";
import { forProject, type Props, resourceWhere, TYPES } from "./support/resources.ts";
import { StackGraph } from "./support/stack-graph.ts";

/** Odoo's own options, from a review of odoo/tools/config.py: none may open the server (model/rules/odoo-server.ts). */

export const odooOptionsSafe: ResourceValidationPolicy = {
  name: "odoo-options-safe",
  description:
    "odooOptions sets nothing that opens or breaks the server: dev_mode, http_interface, addons_path, test or init options.",
  enforcementLevel: "mandatory",
  validateResource: forProject((facts) => refusedOptionFindings(facts.project)),
};

export const odooOptionsAdvice: ResourceValidationPolicy = {
  name: "odoo-options-advice",
  description:
    "odooOptions avoids settings that are dangerous by default: server-wide modules, debug logging, disabled limits.",
  enforcementLevel: "advisory",
  validateResource: forProject((facts) => advisedOptionFindings(facts.project)),
};

/** Whatever produced it, the odoo.conf a production Odoo reads keeps the server closed. */
export const productionOdooConfHardened: StackValidationPolicy = {
  name: "production-odoo-conf-hardened",
  description:
    "Production Odoo reads an odoo.conf with proxy_mode on, one database (anchored dbfilter, no list), a generated master password and no developer options.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const graph = new StackGraph(args.resources);
    for (const container of graph.ofType(TYPES.container)) {
      if (!graph.stagesOf(container).includes("production")) continue;
      const facts = containerFacts(container.props as Props);
      if (!isOdooContainer(facts)) continue;
      const conf = facts.uploads?.find((u) => u.file?.endsWith("odoo.conf"))?.content;
      if (conf === undefined) continue; // only known at deploy time
      const problems = odooConfProblems(conf);
      if (problems.length === 0) continue;
      report(
        formatFinding({
          what: `production Odoo (${container.name}) reads an odoo.conf where ${problems.join("; ")}`,
          where: resourceWhere(container),
          fix: "generate odoo.conf with model/plan/odoo-config.ts (platform values win) and remove the option from odooOptions",
        }),
        container.urn,
      );
    }
  },
};

export const odooServerPolicies = [odooOptionsSafe, odooOptionsAdvice, productionOdooConfHardened];
