import { z } from "zod";
import { BUNDLE_NAMES } from "../../bundles.ts";
import { G1_REQUIRED_CHECKS } from "../../governance/governance-limits.ts";
import { isOneLine } from "../../one-line.ts";
import { REGIONS } from "../../prices.ts";
import { matchRule } from "../branches.ts";
import { branchRules } from "./branch-rules.ts";
import { environments } from "./environments.ts";
import {
  branchName,
  cronExpression,
  domainName,
  githubRepo,
  githubTeam,
  githubUser,
  projectName,
  uniqueList,
} from "./primitives.ts";
import { sso } from "./sso.ts";
import { visible } from "./visible-text.ts";
import { warehouseSchema } from "./warehouse.ts";

const members = z.strictObject({
  users: uniqueList(githubUser).default([]),
  teams: uniqueList(githubTeam).default([]),
});

/** Who holds each persona in this project. Only the four personas and the read-only auditor exist. */
const personas = z.strictObject({
  developer: members.optional(),
  qa_tester: members.optional(),
  release_manager: members.optional(),
  sre: members.optional(),
  auditor: members.optional(),
});

const retention = z.strictObject({
  daily: z.int().min(0).max(366).default(7),
  weekly: z.int().min(0).max(260).default(4),
  monthly: z.int().min(0).max(120).default(3),
});

const backup = z.strictObject({
  schedule: cronExpression.default("0 2 * * *").describe("When the daily backup runs (UTC)"),
  drill: cronExpression
    .default("0 4 1 * *")
    .describe("When the restore drill runs (UTC); monthly by default"),
});

/**
 * odoo.conf options a project may add; the platform owns connection, mail and security settings. A value
 * is one line (model/one-line.ts): a line break in it would write options of its own into odoo.conf,
 * past every check that reads the YAML's option names.
 */
const odooOptions = z.record(
  z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, { error: "must be an odoo.conf option name such as limit_time_real" }),
  z.union([
    z.string().refine(isOneLine, {
      error: "must be one line of text: odoo.conf values take no line break or other control character",
    }),
    z.number(),
    z.boolean(),
  ]),
);

const governance = z.strictObject({
  requiredChecks: uniqueList(visible(z.string().min(1)))
    .default([...G1_REQUIRED_CHECKS])
    .describe("Status checks required on the production branch: the G1 checks"),
  production: z
    .strictObject({
      preventSelfReview: z.boolean().default(true),
      waitTimerMinutes: z.int().min(0).max(43200).default(0),
    })
    .prefault({}),
  staging: z.strictObject({ preventSelfReview: z.boolean().default(true) }).prefault({}),
});

/** model/plan/services/plan.ts SERVICES_NAME (a literal here: the schema imports nothing of the services). */
export const RESERVED_PROJECT_NAME = "services";

export const projectSchema = z
  .strictObject({
    name: projectName,
    repo: githubRepo.describe("The app repository: addons, OCA submodules, Dockerfile"),
    odoo: z.strictObject({ version: z.enum(["16.0", "17.0", "18.0", "19.0"]).default("18.0") }).prefault({}),
    region: z.enum(REGIONS).optional().describe("DigitalOcean region; defaults to the stack's region"),
    domains: uniqueList(domainName).default([]).describe("Custom domains served by production"),
    bundles: uniqueList(z.enum(BUNDLE_NAMES)).default([]),
    branches: branchRules,
    keep: uniqueList(branchName).default([]).describe("Non-production branches kept alive past their TTL"),
    environments,
    odooOptions: odooOptions.default({}),
    retention: retention.prefault({}),
    backup: backup.prefault({}),
    personas: personas.prefault({}),
    governance: governance.prefault({}),
    warehouse: warehouseSchema.optional(),
    sso: sso.optional(),
    budget: z
      .strictObject({ monthlyUsd: z.number().positive() })
      .optional()
      .describe("Monthly budget; the plan warns when the estimate exceeds it"),
  })
  .superRefine((project, ctx) => {
    // The platform services' VPC, cluster and firewall are named as a project called this would be.
    if (project.name === RESERVED_PROJECT_NAME)
      ctx.addIssue({
        code: "custom",
        path: ["name"],
        message: `"${RESERVED_PROJECT_NAME}" is reserved for the platform services; choose another name`,
      });
    project.keep.forEach((branch, index) => {
      const matched = matchRule(project.branches, branch);
      const problem = !matched
        ? `"${branch}" matches no branch rule, so there is nothing to keep; fix the name or remove it`
        : matched.rule.stage === "production"
          ? `"${branch}" is the production branch, which never expires; remove it from keep`
          : undefined;
      if (problem) ctx.addIssue({ code: "custom", path: ["keep", index], message: problem });
    });
  })
  .describe("An Odoo project managed by odooops");

export type Project = z.output<typeof projectSchema>;
export type ProjectInput = z.input<typeof projectSchema>;
