import { describe, expect, it } from "vitest";
import { type Catalog, catalogSchema } from "../../../model/input/catalog.ts";
import { parseProject } from "../../../model/input/loader.ts";
import type { StackSettings } from "../../../model/input/stack-settings.ts";
import { planPlatform } from "../../../model/plan/environment-plan.ts";
import { DIGEST, minimalYaml } from "../../support/projects.ts";

const staging: StackSettings = {
  stages: ["staging", "development"],
  platformDomain: "odooops.example",
  region: "sgp1",
};
const prod: StackSettings = { stages: ["production"], platformDomain: "odooops.example", region: "sgp1" };

function loaded(name: string, extra = "") {
  const { loaded, problems } = parseProject(`projects/${name}.yaml`, minimalYaml(name) + extra);
  if (!loaded) throw new Error(JSON.stringify(problems));
  return loaded;
}

function catalog(project: string, branches: [string, string, string][]): Catalog {
  return catalogSchema.parse({
    projects: {
      [project]: {
        branches: branches.map(([name, id, builtAt]) => ({
          name,
          build: { id, image: `ghcr.io/acme/${project}@${DIGEST}`, commit: "abcdef1", builtAt },
        })),
        releases: [{ id: "r-1", image: `ghcr.io/acme/${project}@${DIGEST}`, passed: ["G1", "G2"] }],
      },
    },
  });
}

describe("environment plan", () => {
  it("gives every staging build a fresh database named after the build", () => {
    const plan = planPlatform(
      [loaded("acme")],
      catalog("acme", [["release/v2", "b-42", "2026-11-20T00:00:00Z"]]),
      staging,
    );
    const [env] = plan.projects[0]!.environments;
    expect(env!.database).toMatchObject({
      kind: "clone",
      strategy: "dump",
      mask: "default",
      neutralize: true,
      buildId: "b-42",
      name: "acme_release__v2_b_42",
    });
    const next = planPlatform(
      [loaded("acme")],
      catalog("acme", [["release/v2", "b-43", "2026-11-21T00:00:00Z"]]),
      staging,
    );
    expect(next.projects[0]!.environments[0]!.database.name).not.toBe(env!.database.name);
  });

  it("puts previews on the project's shared dev host unless placement is dedicated", () => {
    const live = catalog("acme", [
      ["feature/a", "b-1", "2026-11-20T00:00:00Z"],
      ["feature/b", "b-2", "2026-11-20T00:00:00Z"],
    ]);
    const shared = planPlatform([loaded("acme")], live, staging).projects[0]!;
    expect(shared.environments.map((e) => e.host.placement)).toEqual(["shared", "shared"]);
    expect(shared.sharedDevHost).toBeDefined();
    const text = minimalYaml("acme").replace(
      "environments:",
      "environments:\n  development: { placement: dedicated }",
    );
    const own = planPlatform([parseProject("projects/acme.yaml", text).loaded!], live, staging).projects[0]!;
    expect(own.environments.map((e) => e.host.placement)).toEqual(["dedicated", "dedicated"]);
    expect(own.sharedDevHost).toBeUndefined();
  });

  it("gives each preview a database of its own with demo data", () => {
    const plan = planPlatform(
      [loaded("acme")],
      catalog("acme", [["feature/a", "b-1", "2026-11-20T00:00:00Z"]]),
      staging,
    );
    expect(plan.projects[0]!.environments[0]!.database).toEqual({
      kind: "branch",
      name: "acme_feature__a",
      demoData: true,
      size: "db-s-1vcpu-1gb",
    });
  });

  it("plans production only in the stack that owns it, with its release record", () => {
    const live = catalog("acme", [["feature/a", "b-1", "2026-11-20T00:00:00Z"]]);
    const plan = planPlatform([loaded("acme")], live, prod).projects[0]!;
    expect(plan.environments.map((e) => e.stage)).toEqual(["production"]);
    expect(plan.environments[0]!.release).toMatchObject({ id: "r-1", passed: ["G1", "G2"] });
    expect(plan.environments[0]!.sources.image).toBe("projects/acme.yaml:5:12");
    expect(
      planPlatform([loaded("acme")], live, staging).projects[0]!.environments.map((e) => e.stage),
    ).toEqual(["development"]);
  });

  it("skips live branches no rule deploys", () => {
    const plan = planPlatform(
      [loaded("acme")],
      catalog("acme", [["wip/x", "b-1", "2026-11-20T00:00:00Z"]]),
      staging,
    );
    expect(plan.projects[0]!.environments).toEqual([]);
  });

  it("shards a stack by its project selector", () => {
    const plan = planPlatform(
      [loaded("acme"), loaded("beta")],
      { projects: {} },
      { ...prod, projects: ["ac*"] },
    );
    expect(plan.projects.map((p) => p.project.name)).toEqual(["acme"]);
  });

  it("uses the project's region, else the stack's", () => {
    const plan = planPlatform([loaded("acme", "region: fra1\n"), loaded("beta")], { projects: {} }, prod);
    expect(plan.projects.map((p) => p.region)).toEqual(["fra1", "sgp1"]);
  });
});
