import { describe, expect, it } from "vitest";
import type { ResourceChange } from "../../../../../cli/commands/plan/diff.ts";
import {
  COMMENT_BUDGET,
  GITHUB_COMMENT_LIMIT,
  renderMarkdown,
} from "../../../../../cli/commands/plan/render/markdown.ts";
import type {
  PlannedResource,
  PlanReport,
  StackReport,
  Violation,
} from "../../../../../cli/commands/plan/report.ts";
import type { ProjectCost } from "../../../../../model/plan/cost.ts";

const ENVIRONMENTS = ["production", "feature--a", "feature--b", "release-1"];
const TYPES = [
  "digitalocean:index/droplet:Droplet",
  "digitalocean:index/databaseDb:DatabaseDb",
  "odooops:odoo:Odoo",
];

/** A synthetic plan of `count` projects on one stack, each with a few environments, advisories and costs. */
function stackOf(stack: string, count: number): StackReport {
  const resources: PlannedResource[] = [];
  const violations: Violation[] = [];
  const projects: ProjectCost[] = [];
  for (let p = 0; p < count; p++) {
    const project = `project-${String(p).padStart(3, "0")}`;
    for (const environment of ENVIRONMENTS)
      for (const type of TYPES) {
        const name = `${project}-${environment}-${type.split(":").at(-1)!.toLowerCase()}`;
        resources.push({
          stack,
          type,
          name,
          urn: `urn:pulumi:${stack}::odooops::${type}::${name}`,
          parent: undefined,
          project,
          environment,
          stage: environment === "production" ? "production" : "development",
          protect: environment === "production",
          ignoreChanges: [],
          replaceOnChanges: [],
          inputs: {},
        });
      }
    for (const policy of ["budget-exceeded", "oversized-non-production", "stale-preview"])
      violations.push({
        stack,
        policy,
        level: "advisory",
        project,
        environment: "feature--a",
        resource: `urn:pulumi:${stack}::odooops::odooops:environment:Environment::${project}-feature--a`,
        message: `${project} goes over what ${policy} allows, by a margin worth reading about in full`,
        where: `projects/${project}.yaml:12:5 environments.development.size`,
        fix: "lower the size or raise the budget",
      });
    if (p % 40 === 0)
      violations.push({
        stack,
        policy: "mail-catcher-required",
        level: "mandatory",
        project,
        environment: "feature--b",
        resource: `urn:pulumi:${stack}::odooops::odooops:environment:Environment::${project}-feature--b`,
        message: "development environments must route mail to a catcher",
        where: `projects/${project}.yaml:30:7 environments.development.mailCatcher`,
        fix: "set mailCatcher: mailpit",
      });
    projects.push({
      project,
      monthlyUsd: 96,
      environments: ENVIRONMENTS.map((environment) => ({
        environment,
        stage: "development",
        branch: environment,
        monthlyUsd: 24,
        lines: [{ item: "droplet s-2vcpu-4gb", monthlyUsd: 24 }],
      })),
      shared: [],
      marginalDevPreview: { monthlyUsd: 24, basis: "one s-2vcpu-4gb droplet" },
      budgetUsd: undefined,
    });
  }
  return {
    stack,
    stages: ["production", "staging", "development"],
    costs: { asOf: "2026-11-01", currency: "USD", monthlyUsd: 96 * count, projects, shared: [] },
    resources,
    violations,
  };
}

function reportOf(projects: number, withChanges: boolean): PlanReport {
  const stacks = [stackOf("prod", projects), stackOf("staging", projects)];
  const resources = stacks.flatMap((s) => s.resources);
  const violations = stacks.flatMap((s) => s.violations);
  const change = (r: PlannedResource): ResourceChange => ({
    stack: r.stack,
    type: r.type,
    name: r.name,
    project: r.project,
    environment: r.environment,
  });
  const changes = withChanges
    ? {
        base: "main",
        added: resources.filter((r) => r.environment === "feature--b").map(change),
        changed: resources
          .filter((r) => r.environment === "production" && r.type.endsWith("Odoo"))
          .map((r) => ({ ...change(r), fields: ["conf"] })),
        replaced: [],
        removed: [],
        costs: [{ stack: "prod", project: "project-007", beforeUsd: 72, afterUsd: 96 }],
        newViolations: violations.filter((v) => v.level === "mandatory"),
        resolvedViolations: [],
      }
    : undefined;
  return { stacks, resources, violations, changes };
}

const indexOf = (text: string, needle: string) => {
  const i = text.indexOf(needle);
  expect(i, `${needle} is in the comment`).toBeGreaterThanOrEqual(0);
  return i;
};

describe("the PR comment (odooops plan --format markdown)", () => {
  const report = reportOf(200, true);
  const full = renderMarkdown(report);
  const comment = renderMarkdown(report, {
    maxChars: COMMENT_BUDGET,
    fullPlanUrl: "https://ci.example/run/7",
  });

  it("fits a GitHub comment for 200 projects on two stacks, though the full plan does not", () => {
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT * 4);
    expect(comment.length).toBeLessThanOrEqual(COMMENT_BUDGET);
    expect(comment).toContain("Shortened to fit a GitHub comment");
    expect(comment).toContain("https://ci.example/run/7");
  });

  it("reads in order: summary per stack, changes, mandatory violations, advisories by policy", () => {
    expect(comment).toMatch(/^## odooops plan — ❌ 10 mandatory violation\(s\)\n/);
    expect(comment).toContain("| prod | 200 | 2400 | 600 | 200 | 0 | 0 | $19200.00 | +$24.00 | 5 | 600 |");
    expect(comment).toContain("| staging | 200 | 2400 | 600 | 200 | 0 | 0 | $19200.00 | $0.00 | 5 | 600 |");
    const changes = indexOf(comment, "### Changes against main");
    const mandatory = indexOf(comment, "### ❌ Mandatory violations (10)");
    const advisories = indexOf(comment, "### ⚠️ Advisories (1200, 3 policies)");
    expect(indexOf(comment, "| stack | projects |")).toBeLessThan(changes);
    expect(changes).toBeLessThan(mandatory);
    expect(mandatory).toBeLessThan(advisories);
  });

  it("lists every mandatory violation and a few examples per advisory policy with its count", () => {
    expect(comment.match(/^\| `mail-catcher-required` \|/gm)).toHaveLength(10);
    expect(comment).toContain("<code>stale-preview</code> — 400 in 400 project(s)");
    expect(comment).toContain("- … and 397 more");
  });

  it("cuts only between whole parts: no half table row, every <details> and code block closed", () => {
    for (const line of comment.split("\n").filter((l) => l.startsWith("|"))) expect(line).toMatch(/\|$/);
    expect(comment.match(/<details/g)?.length).toBe(comment.match(/<\/details>/g)?.length);
    expect((comment.match(/^```/gm)?.length ?? 0) % 2).toBe(0);
    expect(comment).toMatch(/_… \d+ more projects' changes not shown here/);
  });

  it("is not shortened when the plan fits", () => {
    const small = renderMarkdown(reportOf(2, true), { maxChars: COMMENT_BUDGET });
    expect(small).toBe(renderMarkdown(reportOf(2, true)));
    expect(small).not.toContain("Shortened");
    expect(small).toContain("<details open><summary><b>prod / project-000</b>: +3 ~1 +-0 -0");
  });

  it("shows dashes for the change columns without a base commit", () => {
    const plain = renderMarkdown(reportOf(1, false));
    expect(plain).toContain("| staging | 1 | 12 | — | — | — | — | $96.00 | — | 1 | 3 |");
    expect(plain).not.toContain("### Changes");
  });
});
