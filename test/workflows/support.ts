import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** Every workflow and action this project ships, platform and example app repo alike. */
export const WORKFLOW_DIRS = [".github/workflows", "examples/app-repo/.github/workflows"];
export const ACTION_FILES = [".github/actions/setup-odooops/action.yml"];
export const PLATFORM_REPO = "insightpulseai/odooops";

/** Credentials that may live only in GitHub environment secrets. */
export const DEPLOY_CREDENTIALS = [
  "PULUMI_ACCESS_TOKEN",
  "DIGITALOCEAN_TOKEN",
  "SPACES_ACCESS_KEY_ID",
  "SPACES_SECRET_ACCESS_KEY",
  "ODOOOPS_GITHUB_TOKEN",
  "ODOOOPS_CONTROL_PLANE_URL",
  "ODOOOPS_CONTROL_PLANE_ANON_KEY",
  "ODOOOPS_BUILD_KEY",
  "ODOOOPS_DISPATCH_TOKEN",
  "ODOOOPS_SSH_PRIVATE_KEY",
  "SUPABASE_URL",
  "SUPABASE_SERVICE_ROLE_KEY",
  "SUPABASE_KEY",
];

export interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
export interface Job {
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  needs?: string | string[];
  uses?: string;
  steps?: Step[];
}
export interface Workflow {
  file: string;
  text: string;
  on: Record<string, unknown>;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

export const files = WORKFLOW_DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f)),
);
/** A workflow's text as the tests read it; `file` names it in messages. */
export function parseWorkflow(file: string, text: string): Workflow {
  const document = parse(text) as Omit<Workflow, "file" | "text">;
  return { ...document, file, text };
}
export const workflows: Workflow[] = files.map((file) => parseWorkflow(file, readFileSync(file, "utf8")));
export const platform = (name: string) => workflows.find((w) => w.file === `.github/workflows/${name}`)!;
export const jobsOf = (w: Workflow) => Object.entries(w.jobs);
export const environmentOf = (job: Job) =>
  typeof job.environment === "object" ? job.environment.name : job.environment;
/** Every environment a job runs in: its own, or each its matrix names (`environment: ${{ matrix.environment }}`). */
export function environmentsOf(job: Job): string[] {
  const own = environmentOf(job);
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, as the workflow file spells it
  if (own !== "${{ matrix.environment }}") return own === undefined ? [] : [own];
  const matrix = (job as { strategy?: { matrix?: { include?: { environment?: string }[] } } }).strategy
    ?.matrix;
  return (matrix?.include ?? []).flatMap((entry) => (entry.environment ? [entry.environment] : []));
}
export const triggers = (w: Workflow) => Object.keys(w.on);
export const pulumiSteps = (job: Job) =>
  (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@"));
