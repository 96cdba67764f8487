import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APP_REPO_SECRETS } from "../../model/governance/github-governance.ts";
import {
  environmentOf,
  jobsOf,
  PLATFORM_REPO,
  platform,
  pulumiSteps,
  triggers,
  workflows,
} from "./support.ts";

const secretRef = (name: string) => `\${{ secrets.${name} }}`;

describe("deployment flow", () => {
  const deploy = platform("deploy.yml");

  it("runs pulumi up on staging, then on prod behind the production environment", () => {
    // New builds are pulled on a schedule: nothing outside this repository can trigger a deploy.
    expect(triggers(deploy)).toEqual(expect.arrayContaining(["push", "schedule"]));
    expect(triggers(deploy)).not.toContain("repository_dispatch");
    expect(deploy.jobs.staging!.needs).toBe("pending");
    expect((deploy.on.push as { branches: string[] }).branches).toEqual(["main"]);
    const upJobs = workflows.flatMap((w) =>
      jobsOf(w).flatMap(([name, job]) =>
        pulumiSteps(job)
          .filter((s) => s.with?.command === "up")
          .map((s) => ({ w, name, job, stack: String(s.with?.["stack-name"]) })),
      ),
    );
    const prodUps = upJobs.filter((u) => u.stack.endsWith("/prod"));
    expect(prodUps.length).toBeGreaterThan(0);
    for (const u of prodUps) expect(environmentOf(u.job), `${u.w.file} ${u.name}`).toBe("production");
    for (const u of upJobs.filter((u) => u.stack.endsWith("/staging")))
      expect(environmentOf(u.job), `${u.w.file} ${u.name}`).toBe("staging");
    expect(deploy.jobs.prod!.needs).toBe("staging");
    for (const u of upJobs) expect(u.job.steps!.some((s) => s.with?.policyPacks === "policies")).toBe(true);
  });

  it("gives each stack one concurrency group and never cancels a running up", () => {
    const groups = new Map<string, string>();
    for (const w of workflows)
      for (const [name, job] of jobsOf(w)) {
        const up = pulumiSteps(job).find((s) => s.with?.command === "up");
        if (!up) continue;
        const stack = String(up.with?.["stack-name"]).split("/").pop()!;
        expect(job.concurrency, `${w.file} ${name}`).toBeDefined();
        expect(job.concurrency!["cancel-in-progress"], `${w.file} ${name}`).toBe(false);
        expect(job.concurrency!.group).toBe(`pulumi-up-${stack}`);
        groups.set(`${w.file} ${name}`, job.concurrency!.group);
      }
    expect(new Set(groups.values())).toEqual(new Set(["pulumi-up-staging", "pulumi-up-prod"]));
  });

  it("previews both stacks with the policy pack, only for branches of this repository", () => {
    const preview = platform("preview.yml");
    expect(triggers(preview)).toEqual(["push"]);
    const job = preview.jobs.preview!;
    expect(
      (job as { strategy: { matrix: { include: { stack: string }[] } } }).strategy.matrix.include.map(
        (e) => e.stack,
      ),
    ).toEqual(["staging", "prod"]);
    const step = pulumiSteps(job)[0]!;
    expect(step.with).toMatchObject({ command: "preview", policyPacks: "policies" });
    expect(step.with?.["comment-on-pr-number"]).toBeDefined();
  });

  it("checks drift daily per stack and reports it in an issue", () => {
    const drift = platform("drift.yml");
    expect(triggers(drift)).toContain("schedule");
    const job = Object.values(drift.jobs)[0]!;
    expect(pulumiSteps(job)[0]!.with).toMatchObject({
      command: "preview",
      refresh: true,
      "expect-no-changes": true,
    });
    expect(JSON.stringify(job.steps)).toContain("issues.create");
  });

  it("reaps expired previews and reconciles staging in the same job", () => {
    const reaper = platform("reaper.yml");
    expect(triggers(reaper)).toContain("schedule");
    const job = Object.values(reaper.jobs)[0]!;
    expect(job.steps!.some((s) => s.run?.includes("odooops reap --write"))).toBe(true);
    expect(pulumiSteps(job)[0]!.with).toMatchObject({ command: "up" });
  });

  it("runs the repository's CI entry and the markdown plan on pull requests", () => {
    const ci = platform("ci.yml");
    expect(triggers(ci)).toContain("pull_request");
    const runs = jobsOf(ci).flatMap(([, job]) => (job.steps ?? []).map((s) => s.run ?? ""));
    expect(runs.some((r) => r.trim() === ".ci/run")).toBe(true);
    expect(runs.some((r) => r.includes("odooops plan --format markdown"))).toBe(true);
    expect(JSON.stringify(ci.jobs)).toContain("actions/upload-artifact@");
  });
});

describe("app-repo workflow", () => {
  const app = platform("app-build.yml");

  it("is reusable and builds, tests, pushes and records; the platform pulls the build, no dispatch", () => {
    expect(triggers(app)).toEqual(["workflow_call"]);
    const all = JSON.stringify(app.jobs);
    expect(all).toContain("docker/build-push-action@");
    expect(all).toContain("--test-enable");
    expect(all).toContain("rpc/record_build_with_key");
    expect(all).not.toContain("/dispatches");
    expect(all).not.toContain("odooops-reconcile");
    expect(all).toContain("submodules");
  });

  it("builds once and publishes the digest it tested, with SBOM and provenance", () => {
    const steps = app.jobs.build!.steps ?? [];
    const builds = steps.filter((st) => st.uses?.startsWith("docker/build-push-action@"));
    expect(builds).toHaveLength(1);
    const build = builds[0]! as { id?: string; with?: Record<string, string> };
    expect(build.with?.sbom).toContain("github.event_name == 'push'");
    expect(build.with?.provenance).toContain("mode=max");
    const expr = (text: string) => `\${{ ${text} }}`;
    const index = (id: string) => steps.findIndex((st) => (st as { id?: string }).id === id);
    expect(index("under-test")).toBeGreaterThan(index("build"));
    expect(index("tests")).toBeGreaterThan(index("under-test"));
    expect(index("push")).toBeGreaterThan(index("tests"));
    const under = steps[index("under-test")]!;
    expect(under.env?.DIGEST).toBe(expr("steps.build.outputs.digest"));
    expect(under.run).toContain('docker pull "$NAME@$DIGEST"');
    expect(steps[index("tests")]!.env?.IMAGE).toBe(expr("steps.under-test.outputs.ref"));
    const push = steps[index("push")]!;
    expect(push.env?.DIGEST).toBe(expr("steps.build.outputs.digest"));
    expect(push.run).toContain('--preserve-digests "docker://$NAME@$DIGEST"');
    expect(push.run).not.toMatch(/docker (build|push)\b/);
  });

  it("builds only after the OCA compliance check passed, run on the app checkout with the declared prefix", () => {
    expect(app.jobs.build!.needs).toEqual(["compliance"]);
    const check = (app.jobs.compliance!.steps ?? []).find(
      (st) => (st as { id?: string }).id === "oca-check",
    )!;
    expect(check.run).toBe('npx odooops oca check ../app --prefix "$PREFIX"');
    expect(check.env?.PREFIX).toBe(`\${{ inputs.module-prefix }}`);
  });

  it("fails the oca-lint check when the app repo has no lint configuration", () => {
    const lint = (app.jobs.lint!.steps ?? []).find((st) => (st as { id?: string }).id === "lint")!;
    const script = lint.run!;
    const missing = script.slice(script.indexOf("if [ ! -f .pre-commit-config.yaml ]"));
    expect(missing).toMatch(/^if \[ ! -f \.pre-commit-config\.yaml \]; then\n[^\n]*\n\s*exit 1\n\s*fi/);
    expect(script).not.toContain("nothing to lint");
    // The app-repo template passes its own check.
    expect(existsSync("examples/app-repo/.pre-commit-config.yaml")).toBe(true);
  });

  it("delivers in the GitHub environment of the branch's stage, on pushes only", () => {
    const deliver = app.jobs.deliver!;
    expect(environmentOf(deliver)).toMatch(/^\$\{\{ needs\.resolve\.outputs\.stage \}\}$/);
    expect(String((deliver as { if: string }).if)).toContain("github.event_name == 'push'");
    expect(deliver.permissions).toEqual({});
  });

  it("posts the G1 checks under the names the production ruleset requires by default", () => {
    const all = JSON.stringify(app.jobs);
    for (const context of ["odooops/build", "odooops/module-tests"])
      expect(all).toContain(`context=${context}`);
  });

  it("records builds with the anon key and a build key, never the service-role key", () => {
    const declared = Object.keys(
      (app.on.workflow_call as { secrets: Record<string, unknown> }).secrets ?? {},
    ).sort();
    expect(declared).toEqual([
      "ODOOOPS_BUILD_KEY",
      "ODOOOPS_CONTROL_PLANE_ANON_KEY",
      "ODOOOPS_CONTROL_PLANE_URL",
      "ODOOOPS_PLATFORM_READ_TOKEN",
    ]);
    // Every app-repo secret the platform writes is one the workflow declares; none is a service-role key.
    const written = APP_REPO_SECRETS.map((s) => s.name);
    for (const name of written) expect(declared).toContain(name);
    for (const name of [...declared, ...written, ...APP_REPO_SECRETS.map((s) => s.config)])
      expect(name).not.toMatch(/SERVICE_ROLE|^ODOOOPS_CONTROL_PLANE_KEY$|^controlPlaneKey$/i);
    for (const w of workflows.filter((w) => w.file === app.file || w.file.startsWith("examples/"))) {
      expect(w.text, w.file).not.toMatch(/SERVICE_ROLE|ODOOOPS_CONTROL_PLANE_KEY\b/);
      expect(w.text, w.file).not.toMatch(/rpc\/record_build\b(?!_with_key)/);
    }

    const record = (app.jobs.deliver!.steps ?? []).find((s) => s.run?.includes("record_build_with_key"))!;
    expect(record.env).toMatchObject({
      ANON_KEY: secretRef("ODOOOPS_CONTROL_PLANE_ANON_KEY"),
      BUILD_KEY: secretRef("ODOOOPS_BUILD_KEY"),
    });
    expect(record.run).toContain('-H "apikey: $ANON_KEY" -H "Authorization: Bearer $ANON_KEY"');
    // The build key goes in the body, from the environment through stdin: never on a command line.
    expect(record.run).toContain("p_key: env.BUILD_KEY");
    expect(record.run).toContain("--data-binary @-");
    for (const line of record.run!.split("\n").filter((l) => /\b(jq|curl)\b|^\s*-H|--arg/.test(l)))
      expect(line).not.toMatch(/\$\{?BUILD_KEY/);
  });

  it("ships an example caller that maps, not inherits, the deploy credentials", () => {
    const caller = workflows.find((w) => w.file.startsWith("examples/"))!;
    const [, job] = jobsOf(caller)[0]!;
    expect(job.uses).toMatch(new RegExp(`^${PLATFORM_REPO}/\\.github/workflows/app-build\\.yml@`));
    expect(caller.text).not.toMatch(/secrets:\s*inherit/);
    const declared = (app.on.workflow_call as { secrets: Record<string, unknown> }).secrets;
    const mapped = (job as { secrets?: Record<string, string> }).secrets ?? {};
    for (const secret of APP_REPO_SECRETS) {
      expect(Object.keys(declared)).toContain(secret.name);
      expect(mapped[secret.name], secret.name).toBe(secretRef(secret.name));
    }
    expect(triggers(caller)).not.toContain("pull_request_target");
  });
});
