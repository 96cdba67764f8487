import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveBranch } from "../../../model/input/branches.ts";
import { projectSchema } from "../../../model/input/schema/project.ts";
import { branchSlug, DNS_LABEL_PATTERN } from "../../../model/naming.ts";

const project = projectSchema.parse({
  name: "acme-erp",
  repo: "acme/acme-erp",
  domains: ["erp.acme.example"],
  branches: [
    { match: "main", stage: "production" },
    { match: "release/*", stage: "staging", ttl: "14d" },
    { match: "feature/**", stage: "development", ttl: "36h" },
    { match: "*", stage: "development" },
  ],
  keep: ["feature/demo"],
  environments: { production: { image: `ghcr.io/acme/acme-erp@sha256:${"a".repeat(64)}` } },
});
const options = { platformDomain: "odooops.example", lastActivity: new Date("2026-11-20T00:00:00Z") };
const longName = `feature/${"very-long-branch-name-".repeat(9)}end`.slice(0, 200);

describe("resolveBranch", () => {
  it.each([
    ["main", "production", "production", ["acme-erp.odooops.example", "erp.acme.example"], undefined],
    ["release/1.2", "staging", /^release-1-2-[0-9a-f]{8}$/, undefined, "2026-12-04T00:00:00.000Z"],
    [
      "release/v2",
      "staging",
      "release--v2",
      ["release--v2.acme-erp.staging.odooops.example"],
      "2026-12-04T00:00:00.000Z",
    ],
    [
      "feature/ABC-12_fix.v2",
      "development",
      /^feature-abc-12-fix-v2-[0-9a-f]{8}$/,
      undefined,
      "2026-11-21T12:00:00.000Z",
    ],
    ["feature/team/login", "development", "feature--team--login", undefined, "2026-11-21T12:00:00.000Z"],
    [
      "feature/café-crème",
      "development",
      /^feature-cafe-creme-[0-9a-f]{8}$/,
      undefined,
      "2026-11-21T12:00:00.000Z",
    ],
    ["機能", "development", /^branch-[0-9a-f]{8}$/, undefined, "2026-11-27T00:00:00.000Z"],
    ["feature/demo", "development", "feature--demo", undefined, undefined],
  ])("%s → %s", (branch, stage, slug, hostnames, expiresAt) => {
    const resolved = resolveBranch(project, branch, options)!;
    expect(resolved.stage).toBe(stage);
    if (typeof slug === "string") expect(resolved.slug).toBe(slug);
    else expect(resolved.slug).toMatch(slug);
    expect(resolved.slug).toMatch(DNS_LABEL_PATTERN);
    if (hostnames) expect(resolved.hostnames).toEqual(hostnames);
    expect(resolved.expiresAt?.toISOString()).toBe(expiresAt);
  });

  it("keeps a 200-character branch name within one DNS label", () => {
    expect(longName).toHaveLength(200);
    const resolved = resolveBranch(project, longName, options)!;
    expect(resolved.slug.length).toBeLessThanOrEqual(63);
    expect(resolved.slug).toMatch(DNS_LABEL_PATTERN);
    expect(resolved.hostnames[0]).toBe(`${resolved.slug}.acme-erp.dev.odooops.example`);
  });

  it("marks kept branches and gives them no expiry", () => {
    const resolved = resolveBranch(project, "feature/demo", options)!;
    expect(resolved.kept).toBe(true);
    expect(resolved.expiresAt).toBeUndefined();
  });

  it("returns undefined for a branch no rule matches", () => {
    const strict = { ...project, branches: project.branches.slice(0, 3) };
    expect(resolveBranch(strict, "hotfix/urgent", options)).toBeUndefined();
  });

  it("uses the rule's TTL, else the stage default", () => {
    expect(resolveBranch(project, "feature/x", options)!.ttl).toBe("36h");
    expect(resolveBranch(project, "experiment", options)!.ttl).toBe("7d");
  });
});

describe("branchSlug", () => {
  it("is stable", () => {
    expect(branchSlug("feature/ABC-12_fix.v2")).toBe(branchSlug("feature/ABC-12_fix.v2"));
  });

  it("never maps two different branches to the same slug", () => {
    const branch = fc.stringMatching(/^[a-zA-Z0-9/_.-]{1,80}$/);
    fc.assert(
      fc.property(branch, branch, (a, b) => {
        if (a !== b) expect(branchSlug(a)).not.toBe(branchSlug(b));
      }),
      { numRuns: 2000 },
    );
  });

  it("separates names that only differ by punctuation", () => {
    const slugs = ["feature/a-b", "feature/a_b", "feature-a/b", "feature/a.b", "Feature/a-b"].map(branchSlug);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  it("is always a DNS label", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 250 }), (name) => {
        expect(branchSlug(name)).toMatch(DNS_LABEL_PATTERN);
      }),
    );
  });

  it("hashes names whose clean form would be reserved for IDNA (xn--)", () => {
    expect(branchSlug("xn/abc")).not.toBe("xn--abc");
  });
});
