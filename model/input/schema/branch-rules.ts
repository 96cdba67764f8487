import { z } from "zod";
import { DURATION_PATTERN } from "../../duration.ts";
import { isLiteralPattern, witnessNotCoveredBy } from "../../glob.ts";
import { STAGES } from "../../stages.ts";
import { branchPattern } from "./primitives.ts";

export const branchRule = z.strictObject({
  match: branchPattern.describe("Branch name or pattern: * (no /), ** (any), ? (one character)"),
  stage: z.enum(STAGES),
  ttl: z
    .string()
    .refine((text) => text === "never" || DURATION_PATTERN.test(text), {
      error: 'must be a duration such as 7d or 36h, or "never"',
    })
    .optional()
    .describe("How long an environment lives after its last build; default 7d (development), 30d (staging)"),
});
export type BranchRule = z.infer<typeof branchRule>;

export const DEFAULT_BRANCH_RULES: BranchRule[] = [
  { match: "main", stage: "production" },
  { match: "release/*", stage: "staging" },
  { match: "feature/*", stage: "development" },
];

/**
 * Rules are tried in order and the first match wins. Exactly one rule maps a single, literal branch
 * to production; a rule that every branch of which an earlier rule already takes can never apply.
 */
export const branchRules = z
  .array(branchRule)
  .min(1)
  .default(DEFAULT_BRANCH_RULES)
  .superRefine((rules, ctx) => {
    const production = rules.flatMap((rule, index) => (rule.stage === "production" ? [index] : []));
    if (production.length === 0)
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "no rule maps a branch to production; add one, e.g. { match: main, stage: production }",
      });
    for (const index of production.slice(1))
      ctx.addIssue({
        code: "custom",
        path: [index, "stage"],
        message: `a second production rule; only one branch is production (already branches[${production[0]}])`,
      });
    for (const index of production) {
      const rule = rules[index]!;
      if (!isLiteralPattern(rule.match))
        ctx.addIssue({
          code: "custom",
          path: [index, "match"],
          message: `"${rule.match}" is a pattern; the production rule must name one branch, e.g. main`,
        });
      if (rule.ttl !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [index, "ttl"],
          message: "production never expires; remove ttl from the production rule",
        });
    }
    rules.forEach((rule, index) => {
      if (index === 0) return;
      const earlier = rules.slice(0, index).map((r) => r.match);
      if (witnessNotCoveredBy(rule.match, earlier) !== undefined) return;
      const single = earlier.findIndex((pattern) => witnessNotCoveredBy(rule.match, [pattern]) === undefined);
      const by =
        single >= 0
          ? `branches[${single}] ("${earlier[single]}") already takes`
          : "the rules above it already take";
      ctx.addIssue({
        code: "custom",
        path: [index, "match"],
        message: `"${rule.match}" can never match: ${by} every branch it matches (first match wins); move it above or remove it`,
      });
    });
  });
