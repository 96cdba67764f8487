import { describe, expect, it } from "vitest";
import type { Release } from "../../model/input/catalog.ts";
import { releaseGatesPassed } from "../../policies/release-gates.ts";
import { catalogFor, check, lineOf, PROJECT_FILE, projectResources, SAFE_PROJECT } from "./harness.ts";

type Exception = Release["exceptions"][number];

const exception = (overrides: Partial<Exception> = {}): Exception => ({
  id: "x-1",
  type: "gate",
  rationale: "G3 sign-off after the holidays",
  requestedBy: "rm-ben",
  approver: "rm-chloe",
  risk: "rollback tested on staging",
  expiresAt: "2026-12-01T00:00:00Z",
  gates: ["G3"],
  reviewRequired: true,
  status: "approved",
  ...overrides,
});

const production = (release: Partial<Release> | "none") => {
  const catalog = catalogFor("shop", release === "none" ? {} : release);
  if (release === "none") catalog.projects.shop!.releases = [];
  return projectResources(SAFE_PROJECT, ["production"], catalog);
};

describe("release-gates-passed", () => {
  it("passes a release that passed G1–G3", async () => {
    expect(await check(releaseGatesPassed, production({}))).toEqual([]);
  });

  it("passes a missing G3 covered by an active exception approved by someone else", async () => {
    expect(
      await check(releaseGatesPassed, production({ passed: ["G1", "G2"], exceptions: [exception()] })),
    ).toEqual([]);
  });

  it.each([
    ["no release record", "none", "no release record"],
    ["G3 not passed", { passed: ["G1", "G2"] }, "G3 Promotion Readiness has not passed"],
    ["only G1", { passed: ["G1"] }, "G2 Validation Readiness has not passed, G3"],
    [
      "an expired exception",
      { passed: ["G1", "G2"], exceptions: [exception({ expiresAt: "2026-11-01T00:00:00Z" })] },
      "expired at 2026-11-01",
    ],
    [
      "a self-approved exception",
      { passed: ["G1", "G2"], exceptions: [exception({ approver: "rm-ben" })] },
      "approved by its own requester",
    ],
    [
      "an exception still requested",
      { passed: ["G1", "G2"], exceptions: [exception({ status: "requested" })] },
      "is requested, not approved",
    ],
    [
      "an exception for another gate",
      { passed: ["G1", "G2"], exceptions: [exception({ gates: ["G4"] })] },
      "G3 Promotion Readiness has not passed",
    ],
  ] satisfies [string, Partial<Release> | "none", string][])("refuses %s", async (_, release, text) => {
    const [v, ...rest] = await check(releaseGatesPassed, production(release));
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ level: "mandatory", environment: "production" });
    expect(v!.message).toContain(text);
    expect(v!.where).toBe(
      `${PROJECT_FILE}:${lineOf(SAFE_PROJECT, "    image:")}:12 environments.production.image`,
    );
  });

  it("judges exception expiry at the configured time", async () => {
    const resources = production({ passed: ["G1", "G2"], exceptions: [exception()] });
    const after = { "release-gates-passed": { now: "2026-12-02T00:00:00Z" } };
    const [v] = await check(releaseGatesPassed, resources, after);
    expect(v!.message).toContain("expired at 2026-12-01");
  });
});
