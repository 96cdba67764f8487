import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSupabaseControlPlane } from "../../controlplane/supabase-adapter.ts";
import { buildKeyBehaviour } from "./support/build-keys-suite.ts";
import { PEOPLE, refusal, seedProject } from "./support/fixtures.ts";
import { governanceBehaviour } from "./support/governance-suite.ts";
import { type SupabaseHarness, supabaseHarness } from "./support/harness.ts";
import { operationsBehaviour } from "./support/operations-suite.ts";
import { anonKey, signJwt } from "./support/postgrest.ts";

// supabase-js `rpc` through a PostgREST stand-in that runs each call on the real database.
governanceBehaviour("supabase-js", supabaseHarness);
operationsBehaviour("supabase-js", supabaseHarness);
buildKeyBehaviour("supabase-js", supabaseHarness);

describe("supabase-js adapter: what only the API gateway decides", () => {
  let h: SupabaseHarness;
  beforeAll(async () => {
    h = await supabaseHarness();
    await seedProject(h.as("service"), "acme-erp");
  });
  afterAll(() => h.close());

  it("really goes through rpc on the database", async () => {
    const before = h.standIn.calls.length;
    await h.as(PEOPLE.auditor).catalog();
    expect(h.standIn.calls.slice(before)).toEqual(["catalog"]);
  });

  it("gives the anon key nothing and rejects a token signed with another secret", async () => {
    const anon = createSupabaseControlPlane({
      url: "http://127.0.0.1:54321",
      key: anonKey(),
      fetch: h.standIn.fetch,
    });
    await refusal(anon.catalog(), "forbidden");
    const forged = createSupabaseControlPlane({
      url: "http://127.0.0.1:54321",
      key: anonKey(),
      accessToken: signJwt(
        { sub: PEOPLE.rm.userId, role: "authenticated" },
        "not-the-project-secret-not-the-project-secret",
      ),
      fetch: h.standIn.fetch,
    });
    await refusal(forged.catalog(), "forbidden");
  });

  it("reports an unreachable API as unavailable, without the key", async () => {
    const offline = createSupabaseControlPlane({
      url: "http://127.0.0.1:9",
      key: anonKey(),
      fetch: () => Promise.reject(new TypeError("fetch failed")),
    });
    const error = await refusal(offline.catalog(), "unavailable");
    expect(error.describe()).not.toContain(anonKey().slice(0, 20));
  });
});
