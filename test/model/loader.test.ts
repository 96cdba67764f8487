import { describe, expect, it } from "vitest";
import { loadProjects, parseProject } from "../../model/loader.ts";
import { formatProblem } from "../../model/problem.ts";
import { DIGEST, minimalYaml, writeProjects } from "../support/projects.ts";

function errorsOf(text: string, file = "projects/acme.yaml"): string[] {
  return parseProject(file, text).problems.map(formatProblem);
}

describe("project loader", () => {
  it("accepts the minimal file and fills safe defaults", () => {
    const { loaded, problems } = parseProject("projects/acme.yaml", minimalYaml());
    expect(problems).toEqual([]);
    const project = loaded!.project;
    expect(project.branches.map((r) => [r.match, r.stage])).toEqual([
      ["main", "production"],
      ["release/*", "staging"],
      ["feature/*", "development"],
    ]);
    expect(project.retention).toEqual({ daily: 7, weekly: 4, monthly: 3 });
    expect(project.environments.staging.clone).toEqual({
      strategy: "dump",
      mask: "default",
      neutralize: true,
    });
    expect(project.environments.development.mailCatcher).toBe(true);
    expect(project.environments.development.smtpEgress).toBe("blocked");
    expect(loaded!.where(["environments", "production", "image"])).toBe("projects/acme.yaml:5:12");
  });

  it.each([
    [
      "an unknown key, with a suggestion",
      `${minimalYaml()}regoin: sgp1\n`,
      'projects/acme.yaml:6:1 regoin: unknown key "regoin"; did you mean "region"? allowed here: name, repo,',
    ],
    [
      "a stage that does not exist",
      `${minimalYaml()}branches:\n  - { match: main, stage: production }\n  - { match: "release/*", stage: prod }\n`,
      'projects/acme.yaml:8:34 branches[1].stage: "prod" is not one of production | staging | development',
    ],
    [
      "a TTL that does not parse",
      `${minimalYaml()}branches:\n  - { match: main, stage: production }\n  - { match: "feature/*", stage: development, ttl: 7days }\n`,
      'projects/acme.yaml:8:52 branches[1].ttl: "7days" must be a duration such as 7d or 36h, or "never"',
    ],
    [
      "a missing required field",
      "name: acme\nenvironments:\n  production:\n    image: ghcr.io/acme/acme:1\n",
      "projects/acme.yaml:1:1 repo: missing; expected string",
    ],
    [
      "a name that is not DNS-safe",
      minimalYaml().replace("name: acme", "name: Acme_ERP"),
      'projects/acme.yaml:1:7 name: "Acme_ERP" must be 2–30 characters of a-z, 0-9 and inner hyphens',
    ],
    [
      "a cron expression that a cron parser refuses",
      `${minimalYaml()}backup: { schedule: "0 25 * * *" }\n`,
      'projects/acme.yaml:6:21 backup.schedule: "0 25 * * *" must be a 5-field cron expression',
    ],
    [
      "an invalid CIDR",
      minimalYaml().replace("    image:", "    sshSources: [10.0.0.0/33]\n    image:"),
      'projects/acme.yaml:5:18 environments.production.sshSources[0]: "10.0.0.0/33" must be a CIDR block',
    ],
    [
      "a droplet size DigitalOcean does not sell",
      minimalYaml().replace("    image:", "    size: s-3vcpu-5gb\n    image:"),
      'projects/acme.yaml:5:11 environments.production.size: "s-3vcpu-5gb" is not one of s-1vcpu-1gb',
    ],
    [
      "a persona that does not exist",
      `${minimalYaml()}personas:\n  admins: { users: [bob] }\n`,
      'projects/acme.yaml:7:3 personas.admins: unknown key "admins"; allowed here: developer, qa_tester, release_manager, sre, auditor',
    ],
    [
      "a list entry given twice",
      `${minimalYaml()}domains: [erp.acme.example, erp.acme.example]\n`,
      'projects/acme.yaml:6:29 domains[1]: "erp.acme.example" is listed twice; remove one',
    ],
  ])("reports %s at its line and column", (_what, text, expected) => {
    const errors = errorsOf(text);
    expect(
      errors.some((e) => e.startsWith(expected)),
      errors.join("\n"),
    ).toBe(true);
  });

  it.each([
    [
      "no production rule",
      '  - { match: "release/*", stage: staging }\n',
      "projects/acme.yaml:7:3 branches: no rule maps a branch to production; add one, e.g. { match: main, stage: production }",
    ],
    [
      "two production rules",
      "  - { match: main, stage: production }\n  - { match: prod, stage: production }\n",
      "projects/acme.yaml:8:27 branches[1].stage: a second production rule; only one branch is production (already branches[0])",
    ],
    [
      "a production pattern",
      '  - { match: "release/*", stage: production }\n',
      'projects/acme.yaml:7:14 branches[0].match: "release/*" is a pattern; the production rule must name one branch, e.g. main',
    ],
    [
      "a TTL on production",
      "  - { match: main, stage: production, ttl: 7d }\n",
      "projects/acme.yaml:7:44 branches[0].ttl: production never expires; remove ttl from the production rule",
    ],
    [
      "a shadowed rule",
      '  - { match: main, stage: production }\n  - { match: "feature/*", stage: development }\n  - { match: feature/login, stage: staging }\n',
      'projects/acme.yaml:9:14 branches[2].match: "feature/login" can never match: branches[1] ("feature/*") already takes every branch it matches',
    ],
    [
      "a rule shadowed only by several rules together",
      '  - { match: main, stage: production }\n  - { match: "r/a*", stage: staging }\n  - { match: "r/?", stage: staging }\n  - { match: "r/a", stage: development }\n',
      'projects/acme.yaml:10:14 branches[3].match: "r/a" can never match: branches[1] ("r/a*") already takes',
    ],
  ])("refuses %s", (_what, rules, expected) => {
    const errors = errorsOf(`${minimalYaml()}branches:\n${rules}`);
    expect(
      errors.some((e) => e.startsWith(expected)),
      errors.join("\n"),
    ).toBe(true);
  });

  it("refuses to keep a branch no rule deploys", () => {
    const errors = errorsOf(`${minimalYaml()}keep: [hotfix/x, main]\n`);
    expect(errors).toEqual([
      'projects/acme.yaml:6:8 keep[0]: "hotfix/x" matches no branch rule, so there is nothing to keep; fix the name or remove it',
      'projects/acme.yaml:6:18 keep[1]: "main" is the production branch, which never expires; remove it from keep',
    ]);
  });

  it("reports every mistake of a file at once", () => {
    const text = [
      "name: acme",
      "repo: acme/acme",
      "colour: blue",
      "environments:",
      "  production:",
      "    image: not an image",
      "    workers: -1",
      "retention: { daily: seven }",
    ].join("\n");
    expect(errorsOf(text).map((e) => e.split(" ")[0])).toEqual([
      "projects/acme.yaml:3:1",
      "projects/acme.yaml:6:12",
      "projects/acme.yaml:7:14",
      "projects/acme.yaml:8:21",
    ]);
  });

  it("reports YAML syntax errors and duplicate keys with positions", () => {
    expect(errorsOf("name: acme\nrepo: acme/a\nrepo: acme/b\n")).toEqual([
      'projects/acme.yaml:3:1 duplicate key "repo"; each key may appear once in a mapping, remove or rename one',
    ]);
    const syntax = errorsOf("name: acme\nbranches: [main\n");
    expect(syntax[0]).toMatch(/^projects\/acme\.yaml:\d+:\d+ YAML syntax error: /);
  });

  it("refuses a file whose name differs from the project", () => {
    expect(errorsOf(minimalYaml("other"), "projects/acme.yaml")).toEqual([
      'projects/acme.yaml:1:7 name: the project is named "other" but its file is acme.yaml; rename the file to other.yaml or change name',
    ]);
  });

  it("refuses a document that is not a mapping", () => {
    expect(errorsOf("- a\n- b\n")[0]).toMatch(/^projects\/acme\.yaml:1:1 a project file must be a mapping/);
  });
});

describe("loading several project files", () => {
  it("refuses duplicate project names, naming both files", () => {
    const { dir, paths } = writeProjects({ "acme.yaml": minimalYaml(), "acme.yml": minimalYaml() });
    const { problems } = loadProjects(paths);
    expect(problems.map(formatProblem)).toEqual([
      `${dir}/acme.yml:1:7 name: project "acme" is already defined in ${dir}/acme.yaml:1:7; project names are unique`,
    ]);
  });

  it("refuses a custom domain served by two projects, or taking another project's host name", () => {
    const { dir, paths } = writeProjects({
      "one.yaml": `${minimalYaml("one")}domains: [erp.acme.example]\n`,
      "two.yaml": `${minimalYaml("two")}domains: [erp.acme.example, one.odooops.example]\n`,
    });
    const messages = loadProjects(paths, { platformDomain: "odooops.example" }).problems.map(formatProblem);
    expect(messages).toEqual([
      `${dir}/two.yaml:6:11 domains[0]: "erp.acme.example" is already served by project "one" (${dir}/one.yaml:6:11); each host name belongs to one project`,
      `${dir}/two.yaml:6:29 domains[1]: "one.odooops.example" is already served by project "one" (${dir}/one.yaml:1:7 (its platform host name)); each host name belongs to one project`,
    ]);
  });

  it("reports a missing file without throwing", () => {
    const { problems } = loadProjects(["projects/nope.yaml"]);
    expect(problems.map(formatProblem)).toEqual([
      "projects/nope.yaml:1:1 cannot read the file: file not found",
    ]);
  });

  it("loads the shipped examples without problems", () => {
    const { projects, problems } = loadProjects(
      ["examples/projects/hello.yaml", "examples/projects/acme-erp.yaml"],
      {
        platformDomain: "odooops.example",
      },
    );
    expect(problems).toEqual([]);
    expect(projects.map((p) => p.project.name)).toEqual(["hello", "acme-erp"]);
  });

  it("treats the digest constant in fixtures as a valid pinned image", () => {
    expect(DIGEST).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
