import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Catalog, catalogSchema } from "../../../../model/input/catalog.ts";
import { loadCatalogFile } from "../../../../model/input/catalog-loader.ts";
import { parseProject } from "../../../../model/input/loader.ts";
import { expiredBranches } from "../../../../model/plan/reaper.ts";
import { runCli } from "../../../support/cli.ts";
import { DIGEST } from "../../../support/projects.ts";

const NOW = new Date("2026-12-01T00:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

const PROJECT = [
  "name: shop",
  "repo: acme/shop",
  "branches:",
  "  - { match: main, stage: production }",
  '  - { match: "release/*", stage: staging }',
  '  - { match: "spike/*", stage: development, ttl: never }',
  '  - { match: "feature/**", stage: development, ttl: 7d }',
  "keep: [feature/demo]",
  "environments:",
  "  production:",
  `    image: ghcr.io/acme/shop@${DIGEST}`,
  "",
].join("\n");

/** Live branches with the age of their latest build, in days. */
const LIVE: [string, number][] = [
  ["feature/old", 8],
  ["feature/team/older", 30],
  ["feature/fresh", 6],
  ["feature/on-the-edge", 7],
  ["feature/demo", 90],
  ["spike/forever", 400],
  ["release/2026.10", 45],
  ["docs/unmatched", 100],
];

function catalog(): Catalog {
  return catalogSchema.parse({
    projects: {
      shop: {
        branches: LIVE.map(([name, age], i) => ({
          name,
          build: {
            id: `b-${i}`,
            image: `ghcr.io/acme/shop@${DIGEST}`,
            commit: "abcdef1",
            builtAt: daysAgo(age),
          },
        })),
      },
    },
  });
}

function project() {
  const { loaded, problems } = parseProject("projects/shop.yaml", PROJECT);
  expect(problems).toEqual([]);
  return loaded!.project;
}

describe("TTL reaper decision", () => {
  it("takes development previews past their TTL, and only those", () => {
    const expired = expiredBranches([project()], catalog(), { now: NOW, stages: ["development"] });
    expect(expired.map((e) => e.branch).sort()).toEqual([
      "feature/old",
      "feature/on-the-edge",
      "feature/team/older",
    ]);
    expect(expired.find((e) => e.branch === "feature/old")).toMatchObject({
      project: "shop",
      stage: "development",
      slug: "feature--old",
      ttl: "7d",
      expiredAt: new Date(new Date(daysAgo(8)).getTime() + 7 * 86_400_000).toISOString(),
    });
  });

  it("leaves kept branches, ttl: never, staging and unmatched branches alone", () => {
    const names = expiredBranches([project()], catalog(), { now: NOW, stages: ["development"] }).map(
      (e) => e.branch,
    );
    for (const alive of [
      "feature/demo",
      "spike/forever",
      "release/2026.10",
      "docs/unmatched",
      "feature/fresh",
    ])
      expect(names).not.toContain(alive);
  });

  it("reaps staging builds past their default TTL only when asked to", () => {
    const expired = expiredBranches([project()], catalog(), { now: NOW, stages: ["staging"] });
    expect(expired.map((e) => e.branch)).toEqual(["release/2026.10"]);
    expect(expired[0]!.ttl).toBe("30d");
  });
});

describe("odooops reap", () => {
  function workspace(catalogName: string, catalogText: string) {
    const dir = mkdtempSync(join(tmpdir(), "odooops-reap-"));
    writeFileSync(join(dir, "shop.yaml"), PROJECT);
    writeFileSync(join(dir, catalogName), catalogText);
    return { dir, project: join(dir, "shop.yaml"), catalog: join(dir, catalogName) };
  }
  const json = () => `${JSON.stringify(catalog(), null, 2)}\n`;

  it("reports without --write and changes nothing", async () => {
    const w = workspace("catalog.json", json());
    const result = await runCli("reap", w.project, "--catalog", w.catalog, "--now", NOW.toISOString());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("3 branch(es) past their TTL");
    expect(readFileSync(w.catalog, "utf8")).toBe(json());
  });

  it("removes exactly the expired branches from a JSON catalog with --write", async () => {
    const w = workspace("catalog.json", json());
    const result = await runCli(
      "reap",
      w.project,
      "--catalog",
      w.catalog,
      "--now",
      NOW.toISOString(),
      "--write",
      "--format",
      "json",
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).expired).toHaveLength(3);
    const { catalog: after, problems } = loadCatalogFile(w.catalog);
    expect(problems).toEqual([]);
    expect(after!.projects.shop!.branches.map((b) => b.name).sort()).toEqual(
      ["feature/demo", "feature/fresh", "spike/forever", "release/2026.10", "docs/unmatched"].sort(),
    );
  });

  it("keeps the comments of a YAML catalog", async () => {
    const yaml = [
      "# build catalog kept by hand for the demo",
      "projects:",
      "  shop:",
      "    branches:",
      "      - name: feature/old # reap me",
      `        build: { id: b-1, image: "ghcr.io/acme/shop@${DIGEST}", commit: abcdef1, builtAt: "${daysAgo(20)}" }`,
      "      - name: feature/fresh",
      `        build: { id: b-2, image: "ghcr.io/acme/shop@${DIGEST}", commit: abcdef1, builtAt: "${daysAgo(1)}" }`,
      "",
    ].join("\n");
    const w = workspace("catalog.yaml", yaml);
    expect(
      (await runCli("reap", w.project, "--catalog", w.catalog, "--now", NOW.toISOString(), "--write")).code,
    ).toBe(0);
    const after = readFileSync(w.catalog, "utf8");
    expect(after).toContain("# build catalog kept by hand for the demo");
    expect(after).not.toContain("feature/old");
    expect(after).toContain("feature/fresh");
  });

  it("refuses a bad --now and an invalid catalog without touching it", async () => {
    const w = workspace("catalog.json", '{ "projects": { "shop": { "branches": [ { "name": 7 } ] } } }');
    const before = readFileSync(w.catalog, "utf8");
    expect((await runCli("reap", w.project, "--catalog", w.catalog, "--now", "yesterday")).code).toBe(2);
    const invalid = await runCli("reap", w.project, "--catalog", w.catalog, "--write");
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/catalog\.json:\d+:\d+/);
    expect(readFileSync(w.catalog, "utf8")).toBe(before);
  });
});

describe("odooops reap against the control plane", () => {
  it("closes the expired environments there, so the catalog no longer lists them", async () => {
    const { createControlPlaneDatabase } = await import("../../../controlplane/support/database.ts");
    const { createPgControlPlane } = await import("../../../../controlplane/pg-adapter.ts");
    const db = await createControlPlaneDatabase("reap");
    const service = createPgControlPlane({ connectionString: db.url, actor: undefined, maxConnections: 1 });
    const dir = mkdtempSync(join(tmpdir(), "odooops-reap-cp-"));
    writeFileSync(join(dir, "shop.yaml"), PROJECT);
    const previous = process.env.ODOOOPS_CONTROL_PLANE_URL;
    try {
      await service.registerProject({
        project: "shop",
        repo: "acme/shop",
        branches: [
          { match: "release/*", stage: "staging" },
          { match: "feature/*", stage: "development" },
        ],
      });
      const builds: [string, "development" | "staging", number][] = [
        ["feature/old", "development", 20],
        ["feature/fresh", "development", 1],
        ["feature/demo", "development", 90],
        ["release/2026.10", "staging", 45],
      ];
      for (const [index, [branch, stage, age]] of builds.entries())
        await service.recordBuild({
          project: "shop",
          branch,
          stage,
          build: `b-${index}`,
          image: `ghcr.io/acme/shop@${DIGEST}`,
          commit: "abcdef1",
          builtAt: daysAgo(age),
        });
      process.env.ODOOOPS_CONTROL_PLANE_URL = db.url;
      const result = await runCli("reap", join(dir, "shop.yaml"), "--now", NOW.toISOString(), "--write");
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("removed 1 branch(es) from the control plane");
      const after = await service.catalog(["shop"]);
      expect(after.projects.shop!.branches.map((b) => b.name).sort()).toEqual([
        "feature/demo",
        "feature/fresh",
        "release/2026.10",
      ]);
    } finally {
      if (previous === undefined) delete process.env.ODOOOPS_CONTROL_PLANE_URL;
      else process.env.ODOOOPS_CONTROL_PLANE_URL = previous;
      await service.close();
      await db.drop();
    }
  });
});
