import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { branchSlug } from "../../../model/naming.ts";
import {
  expiryOf,
  hostTags,
  latestExpiry,
  SHARED_HOST_BRANCH,
  TAG_PATTERN,
} from "../../../model/plan/tags.ts";

describe("host tags", () => {
  it("are valid DigitalOcean tags for any branch name", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 120 }), (branch) => {
        for (const tag of hostTags({
          project: "acme-erp",
          stage: "development",
          branch: branchSlug(branch),
          expires: "2026-12-01",
        }))
          expect(tag).toMatch(TAG_PATTERN);
      }),
    );
    for (const tag of hostTags({
      project: "acme",
      stage: "development",
      branch: SHARED_HOST_BRANCH,
      expires: "never",
    }))
      expect(tag).toMatch(TAG_PATTERN);
  });

  it("say when an environment may be reaped", () => {
    const env = {
      stage: "development" as const,
      ttl: "7d",
      expiresAt: "2026-11-27T06:00:00.000Z",
      kept: false,
    };
    expect(expiryOf(env)).toBe("2026-11-27");
    expect(expiryOf({ ...env, kept: true })).toBe("never");
    expect(expiryOf({ ...env, ttl: "never" })).toBe("never");
    expect(expiryOf({ ...env, stage: "production" })).toBe("never");
    expect(latestExpiry(["2026-11-27", "2026-12-03", "2026-11-30"])).toBe("2026-12-03");
    expect(latestExpiry(["2026-11-27", "never"])).toBe("never");
  });
});
