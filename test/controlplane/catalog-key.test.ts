import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCatalog } from "../../controlplane/catalog-source.ts";
import { PEOPLE, refusal, seedProject } from "./support/fixtures.ts";
import { type SupabaseHarness, supabaseHarness } from "./support/harness.ts";

/** Drift and preview read the catalog with the anon key plus a catalog key, and can do nothing else. */
describe("catalog keys", () => {
  let h: SupabaseHarness;
  beforeAll(async () => {
    h = await supabaseHarness();
    await seedProject(h.as("service"), "acme-erp");
  });
  afterAll(() => h.close());

  it("read the whole catalog through the anon key; unknown and revoked keys get one refusal", async () => {
    const created = await h.as("service").createCatalogKey({ label: "drift and preview" });
    expect(created.key).toMatch(/^odooops_ck_[A-Za-z0-9_-]{43}$/);
    const stored = await h.db.sql("select key_hash from ops.catalog_keys");
    expect(JSON.stringify(stored.rows)).not.toContain(created.key);

    const anon = h.as("anon");
    const catalog = await anon.catalogWithKey(created.key ?? "");
    expect(Object.keys(catalog.projects)).toEqual(["acme-erp"]);
    await refusal(anon.catalogWithKey("odooops_ck_guessed"), "forbidden");
    await refusal(anon.catalog(), "forbidden"); // the anon key alone reads nothing

    await h.as("service").revokeCatalogKey({ id: created.id });
    const revoked = await refusal(anon.catalogWithKey(created.key ?? ""), "forbidden");
    expect(revoked.message).toBe("unknown or revoked catalog key");
    const audit = await h.db.sql(
      "select action from ops.audit_events where action like 'catalog_key.%' order by id",
    );
    expect(audit.rows.map((r) => r.action)).toEqual(["catalog_key.created", "catalog_key.revoked"]);
  });

  it("only the service role creates one; the plan's catalog source uses it when set", async () => {
    await refusal(h.as(PEOPLE.rm).createCatalogKey({ label: "mine" }), "forbidden");
    const { key } = await h.as("service").createCatalogKey({ label: "plan" });
    const read = await readCatalog("control plane", {
      ODOOOPS_CONTROL_PLANE_URL: h.db.url,
      ODOOOPS_CATALOG_KEY: key,
    });
    expect(read.problems).toEqual([]);
    expect(Object.keys(read.catalog?.projects ?? {})).toEqual(["acme-erp"]);
  });
});
