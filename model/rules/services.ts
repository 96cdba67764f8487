import { z } from "zod";

/**
 * Platform services (issue 18 part 2) run only from a verified digest (model/plan/services/catalog.ts).
 * One whose digest is not yet recorded is planned without its container: this rule says which, and how
 * to pin it.
 */
export const plannedServicesSchema = z.looseObject({
  plan: z.looseObject({
    services: z.array(z.looseObject({ title: z.string(), tag: z.string(), image: z.string().optional() })),
  }),
});
export type PlannedServices = z.infer<typeof plannedServicesSchema>;

export function unpinnedServiceFindings(props: PlannedServices): { what: string; fix: string }[] {
  return props.plan.services
    .filter((s) => !s.image)
    .map((s) => ({
      what: `${s.title}: image ${s.tag} is unpinned — no digest could be verified, so no container is created`,
      fix: `verify the digest with docker buildx imagetools inspect ${s.tag} and record it in model/plan/services/catalog.ts`,
    }));
}
