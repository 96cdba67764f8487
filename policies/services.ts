import type { ResourceValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { formatFinding } from "../model/rules/finding.ts";
import { forType, resourceWhere, TYPES } from "./support/resources.ts";

const servicesProps = z.looseObject({
  plan: z.looseObject({
    services: z.array(z.looseObject({ title: z.string(), tag: z.string(), image: z.string().optional() })),
  }),
});

/**
 * Platform services (issue 18 part 2) run only from a verified digest. One whose digest is not yet
 * recorded is planned without its container; this advisory keeps that visible in every plan.
 */
export const platformServicesPinned: ResourceValidationPolicy = {
  name: "platform-service-images-pinned",
  description:
    "Each platform service has a verified image digest; until then it is planned but not deployed.",
  enforcementLevel: "advisory",
  validateResource: forType(TYPES.platformServices, (props, args, report) => {
    const parsed = servicesProps.safeParse(props);
    for (const s of parsed.data?.plan.services ?? [])
      if (!s.image)
        report(
          formatFinding({
            what: `${s.title}: image ${s.tag} is unpinned — no digest could be verified, so no container is created`,
            where: resourceWhere(args),
            fix: `verify the digest with docker buildx imagetools inspect ${s.tag} and record it in model/plan/services/catalog.ts`,
          }),
        );
  }),
};

export const servicesPolicies = [platformServicesPinned];
