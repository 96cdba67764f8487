import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  ACTION_FILES,
  DEPLOY_CREDENTIALS,
  environmentOf,
  environmentsOf,
  files,
  jobsOf,
  PLATFORM_REPO,
  platform,
  type Step,
  triggers,
  workflows,
} from "./support.ts";

describe("workflow files", () => {
  it("ships the platform workflows and the reusable app-repo workflow", () => {
    expect(files).toEqual(
      expect.arrayContaining(
        ["ci", "plan-comment", "preview", "deploy", "drift", "reaper", "app-build"].map(
          (n) => `.github/workflows/${n}.yml`,
        ),
      ),
    );
    expect(files).toContain("examples/app-repo/.github/workflows/odooops.yml");
  });

  // action-validator 0.6.0 (the newest) predates GitHub's `attestations` permission (2024): that one key is
  // taken out before validating, everything else is checked as written. Only the agent release holds it.
  const withoutAttestations = (text: string) => text.replace(/^ +attestations: write\b.*\n/gm, "");

  it.each(files)("%s passes action-validator", (file) => {
    const text = readFileSync(file, "utf8");
    expect(validateWorkflow(withoutAttestations(text)).errors).toEqual([]);
    if (!file.endsWith("/agent-release.yml")) expect(text).not.toMatch(/attestations:/);
  });

  it.each(ACTION_FILES)("%s passes action-validator", (file) => {
    expect(validateAction(readFileSync(file, "utf8")).errors).toEqual([]);
  });

  it("the validator is real: the CLI refuses a broken workflow", () => {
    const broken =
      "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    permissions: { contents: sometimes }\n";
    const cli = "node_modules/@action-validator/cli/cli.mjs";
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
    expect(() => execFileSync("node", [cli, ".github/workflows/ci.yml"], { stdio: "pipe" })).not.toThrow();
    expect(() => execFileSync("node", [cli, "package.json"], { stdio: "pipe" })).toThrow();
  });
});

/** How ci.yml hands a same-repo PR's plan the read-only catalog credentials (and nothing else). */
const READ_ONLY_CATALOG = /&& secrets\.(SUPABASE_URL|SUPABASE_ANON_KEY|ODOOOPS_CATALOG_KEY) \|\| ''/g;

describe("workflow security properties", () => {
  it("gives no pull_request run a secret but the read-only catalog key, and that only to same-repo PRs", () => {
    const onPullRequest = workflows.filter((w) => triggers(w).some((t) => t.startsWith("pull_request")));
    expect(onPullRequest.map((w) => w.file)).toContain(".github/workflows/ci.yml");
    const sameRepo = "github.event.pull_request.head.repo.full_name == github.repository";
    for (const w of onPullRequest) {
      for (const line of w.text.split("\n").filter((l) => /\bsecrets\./.test(l))) {
        expect(line, w.file).toMatch(/secrets\.(SUPABASE_URL|SUPABASE_ANON_KEY|ODOOOPS_CATALOG_KEY)\b/);
        expect(line, w.file).toContain(sameRepo);
        expect((line.match(/\bsecrets\./g) ?? []).length, w.file).toBe(1);
      }
      expect(w.text, w.file).not.toMatch(/secrets:\s*inherit/);
      for (const [name, job] of jobsOf(w)) expect(job.environment, `${w.file} ${name}`).toBeUndefined();
    }
  });

  it("never combines pull_request_target or workflow_run with a checkout", () => {
    for (const w of workflows.filter((w) =>
      triggers(w).some((t) => t === "pull_request_target" || t === "workflow_run"),
    ))
      for (const [name, job] of jobsOf(w))
        for (const step of job.steps ?? [])
          expect(step.uses ?? "", `${w.file} ${name}`).not.toMatch(/^actions\/checkout@/);
  });

  it("posts the plan comment from a separate workflow_run job with pull-requests: write and nothing else writable", () => {
    const w = platform("plan-comment.yml");
    expect(triggers(w)).toEqual(["workflow_run"]);
    expect((w.on.workflow_run as { workflows: string[] }).workflows).toEqual(["CI"]);
    const [, job] = jobsOf(w)[0]!;
    expect(job.permissions).toEqual({ actions: "read", "pull-requests": "write" });
    expect(w.text).not.toMatch(/\bsecrets\./);
  });

  it("declares minimal permissions: none by default, explicit per job, never write-all", () => {
    const allowedWrites: Record<string, string[]> = {
      "plan-comment.yml": ["pull-requests"],
      "preview.yml": ["pull-requests"],
      "drift.yml": ["issues"],
      "app-build.yml": ["packages", "statuses"],
      "odooops.yml": ["packages", "statuses"],
      "agent-release.yml": ["packages", "attestations", "pull-requests"],
    };
    // The two exceptions, each to one job of the agent release, which runs on main only (no pull_request):
    // signing the provenance attestation needs the OIDC token; the pin pull request needs its own branch.
    const exceptions: Record<string, { job: string; scope: string; level: string }> = {
      "id-token": { job: ".github/workflows/agent-release.yml release", scope: "id-token", level: "write" },
      contents: { job: ".github/workflows/agent-release.yml pin", scope: "contents", level: "write" },
    };
    const excepted = (job: string, scope: string) => exceptions[scope]?.job === job;
    for (const w of workflows) {
      expect(w.permissions, w.file).toEqual({});
      const base = w.file.split("/").pop()!;
      for (const [name, job] of jobsOf(w)) {
        expect(typeof job.permissions, `${w.file} ${name} must declare permissions`).toBe("object");
        const where = `${w.file} ${name}`;
        const writes = Object.entries(job.permissions as Record<string, string>)
          .filter(([scope, level]) => level === "write" && !excepted(where, scope))
          .map(([scope]) => scope);
        for (const scope of writes) expect(allowedWrites[base] ?? [], `${where}: ${scope}`).toContain(scope);
        expect(writes, where).not.toContain("contents");
        const scopes = Object.keys(job.permissions as object).filter((scope) => !excepted(where, scope));
        expect(scopes, where).not.toContain("id-token");
      }
    }
    for (const { job, scope, level } of Object.values(exceptions)) {
      const [file, name] = job.split(" ") as [string, string];
      const w = workflows.find((w) => w.file === file)!;
      expect((w.jobs[name]!.permissions as Record<string, string>)[scope], job).toBe(level);
      expect(triggers(w), `${file} may hold ${scope}: ${level} only off pull requests`).not.toContain(
        "pull_request",
      );
    }
  });

  it("pins every third-party action to a full commit SHA with its version in a comment", () => {
    const texts = [
      ...workflows.map((w) => ({ file: w.file, text: w.text })),
      ...ACTION_FILES.map((file) => ({ file, text: readFileSync(file, "utf8") })),
    ];
    let pinned = 0;
    for (const { file, text } of texts)
      for (const line of text.split("\n")) {
        const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (!match) continue;
        const [, ref, rest] = match as unknown as [string, string, string];
        if (ref.startsWith("./")) continue;
        if (ref.startsWith(`${PLATFORM_REPO}/`)) continue; // the platform's own reusable workflow
        expect(ref, `${file}: ${line.trim()}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        expect(rest, `${file}: ${line.trim()} needs "# vX.Y.Z"`).toMatch(/#\s*v\d+\.\d+\.\d+/);
        pinned++;
      }
    expect(pinned).toBeGreaterThan(10);
  });

  it("interpolates no expression into shell or script text: values reach scripts through env", () => {
    const actionSteps = ACTION_FILES.map(
      (file) => [file, parse(readFileSync(file, "utf8")).runs.steps as Step[]] as const,
    );
    const stepLists = [
      ...workflows.flatMap((w) =>
        jobsOf(w).map(([name, job]) => [`${w.file} ${name}`, job.steps ?? []] as const),
      ),
      ...actionSteps,
    ];
    expect(stepLists.length).toBeGreaterThan(workflows.length);
    for (const [name, steps] of stepLists)
      for (const step of steps) {
        if (step.run) expect(step.run, name).not.toContain("${{");
        const script = step.with?.script;
        if (typeof script === "string") expect(script, name).not.toContain("${{");
      }
  });

  it("keeps write credentials out of the preview environment, which every branch of this repo reaches", () => {
    const writers = [
      "SUPABASE_SERVICE_ROLE_KEY",
      "ODOOOPS_SSH_PRIVATE_KEY",
      "SPACES_SECRET_ACCESS_KEY",
      "ODOOOPS_DISPATCH_TOKEN",
    ];
    for (const w of workflows)
      for (const [name, job] of jobsOf(w).filter(([, job]) => environmentsOf(job).includes("preview")))
        for (const secret of writers)
          expect(JSON.stringify(job), `${w.file} ${name}`).not.toContain(`secrets.${secret}`);
  });

  it("previews the prod stack from a branch only in an environment of its own, never with the preview token", () => {
    // A token that previews a stack decrypts its secrets: unreviewed branch code gets prod's only after
    // preview-prod's reviewers let the job run.
    const job = platform("preview.yml").jobs.preview as unknown as {
      environment: string;
      strategy: { matrix: { include: { stack: string; environment: string }[] } };
    };
    expect(environmentsOf(platform("preview.yml").jobs.preview!)).toEqual(["preview", "preview-prod"]);
    expect(job.strategy.matrix.include).toEqual([
      { stack: "staging", environment: "preview" },
      { stack: "prod", environment: "preview-prod" },
    ]);
  });

  it("keeps each stack's drift credentials, its SSH deploy key among them, in an environment of its own", () => {
    const job = Object.values(platform("drift.yml").jobs)[0]!;
    expect(environmentsOf(job)).toEqual(["drift-staging", "drift-prod"]);
    expect(JSON.stringify(job)).toContain("secrets.ODOOOPS_SSH_PRIVATE_KEY");
  });

  it("keeps deploy credentials in jobs bound to a GitHub environment", () => {
    for (const w of workflows.filter((w) => !w.file.startsWith("examples/")))
      for (const [name, job] of jobsOf(w)) {
        // The read-only catalog key of same-repo PR plans is checked by the pull_request test above.
        const text = JSON.stringify(job).replace(READ_ONLY_CATALOG, "");
        const used = DEPLOY_CREDENTIALS.filter((c) => text.includes(`secrets.${c}`));
        if (used.length > 0)
          expect(environmentOf(job), `${w.file} ${name} uses ${used.join(", ")}`).toBeDefined();
      }
  });
});
