import { z } from "zod";
import { releaseSchema } from "../input/catalog.ts";
import { projectSchema } from "../input/schema/project.ts";
import { STAGES } from "../stages.ts";

/**
 * What the policies read from our own components' inputs, validated at that boundary: the Environment
 * component carries its environment plan, the Project component its project file (already validated
 * by the loader, so a parse here only fails when the component contract drifts).
 */
export const environmentFactsSchema = z.looseObject({
  project: z.string(),
  stage: z.enum(STAGES),
  branch: z.string(),
  slug: z.string(),
  image: z.string(),
  buildId: z.string().nullish(),
  ttl: z.string().nullish(),
  expiresAt: z.string().nullish(),
  kept: z.boolean().default(false),
  host: z.looseObject({ size: z.string(), sshSources: z.array(z.string()).default([]) }),
  database: z.looseObject({
    kind: z.enum(["cluster", "clone", "branch"]),
    mask: z.string().nullish(),
    neutralize: z.boolean().nullish(),
  }),
  release: releaseSchema.nullish(),
  sources: z.record(z.string(), z.string()).default({}),
});
export type EnvironmentFacts = z.output<typeof environmentFactsSchema>;

export const projectFactsSchema = z.looseObject({
  project: projectSchema,
  file: z.string(),
  /** The stages the stack owns; absent means every stage (fail closed). */
  stages: z.array(z.enum(STAGES)).default([...STAGES]),
  sources: z.record(z.string(), z.string()).default({}),
  environments: z.array(environmentFactsSchema).default([]),
});
export type ProjectFacts = z.output<typeof projectFactsSchema>;

/** Thrown when a component's inputs do not have the shape the policies rely on: a contract bug, not user error. */
export class FactsError extends Error {
  override name = "FactsError";
}

function cachedParser<S extends z.ZodType>(schema: S, what: string) {
  const cache = new WeakMap<object, z.output<S>>();
  return (props: object): z.output<S> => {
    const known = cache.get(props);
    if (known) return known;
    const parsed = schema.safeParse(props);
    if (!parsed.success)
      throw new FactsError(
        `${what} inputs do not match the policy contract: ${z.prettifyError(parsed.error)}`,
      );
    cache.set(props, parsed.data);
    return parsed.data;
  };
}

/** The Environment component's inputs are `{ plan }`: its environment plan. */
const environmentInputsSchema = z
  .looseObject({ plan: environmentFactsSchema })
  .transform((inputs) => inputs.plan);

/** Parsed once per props object: the offline plan hands every policy the same object. */
export const readEnvironmentFacts = cachedParser(environmentInputsSchema, "odooops:environment:Environment");
export const readProjectFacts = cachedParser(projectFactsSchema, "odooops:project:Project");
