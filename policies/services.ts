import type { ResourceValidationPolicy } from "@pulumi/policy";
import { formatFinding } from "../model/rules/finding.ts";
import { plannedServicesSchema, unpinnedServiceFindings } from "../model/rules/services.ts";
import { forType, resourceWhere, TYPES } from "./support/resources.ts";

/** Platform services run only from a verified digest; this advisory keeps an unpinned one visible. */
export const platformServicesPinned: ResourceValidationPolicy = {
  name: "platform-service-images-pinned",
  description:
    "Each platform service has a verified image digest; until then it is planned but not deployed.",
  enforcementLevel: "advisory",
  validateResource: forType(TYPES.platformServices, (props, args, report) => {
    const parsed = plannedServicesSchema.safeParse(props);
    if (!parsed.success) return;
    for (const f of unpinnedServiceFindings(parsed.data))
      report(formatFinding({ what: f.what, where: resourceWhere(args), fix: f.fix }));
  }),
};

export const servicesPolicies = [platformServicesPinned];
