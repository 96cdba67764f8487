import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { gateDefinition } from "../../model/governance/gates.ts";
import { PEOPLE, seedProject } from "./support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "./support/harness.ts";

/** The control-plane commands against a local database, as a person at a terminal would use them. */
async function odooops(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const evidenceArgs = (gate: "G2" | "G3", skip?: string) =>
  gateDefinition(gate)
    .requiredEvidence.filter((kind) => kind !== skip)
    .flatMap((kind) => ["--evidence", `${kind}=https://qa.example/${kind}`]);

describe("odooops release | gate | exception | audit", () => {
  let h: AdapterHarness;
  let builds: Awaited<ReturnType<typeof seedProject>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    h = await pgHarness();
    builds = await seedProject(h.as("service"), "acme-erp");
    for (const key of ["SUPABASE_URL", "SUPABASE_KEY", "SUPABASE_SERVICE_ROLE_KEY", "ODOOOPS_ACTOR"])
      delete process.env[key];
    process.env.ODOOOPS_CONTROL_PLANE_URL = h.db.url;
  });
  afterEach(() => {
    delete process.env.ODOOOPS_ACTOR;
  });
  afterAll(async () => {
    process.env = saved;
    await h.close();
  });

  it("walks a release through its gates and an exception, in text and JSON", async () => {
    const created = await odooops(
      "release",
      "create",
      "acme-erp",
      "r-cli",
      "--build",
      builds.staging,
      "--as",
      "rm-ben",
    );
    expect(created).toMatchObject({ code: 0, err: "" });
    expect(created.out).toContain("created release r-cli (candidate) by rm-ben");
    expect((await odooops("gate", "sign", "acme-erp", "r-cli", "G1", "--as", "rm-ben")).code).toBe(0);

    const early = await odooops("gate", "sign", "acme-erp", "r-cli", "G3", "--as", "rm-chloe");
    expect(early.code).toBe(1);
    expect(early.err).toContain("odooops: gate out of order: G3 cannot be signed before G2");
    expect(early.err).toContain("hint: sign G2 of release r-cli first");

    const g2 = await odooops(
      "gate",
      "sign",
      "acme-erp",
      "r-cli",
      "G2",
      ...evidenceArgs("G2"),
      "--as",
      "qa-ana",
      "--json",
    );
    expect(g2.code).toBe(0);
    expect(JSON.parse(g2.out)).toMatchObject({
      gate: "G2",
      outcome: "passed",
      signedBy: "qa-ana",
      nextGate: "G3",
    });

    const requested = await odooops(
      "exception",
      "request",
      "acme-erp",
      "r-cli",
      "--gates",
      "G3",
      "--type",
      "missing_evidence",
      "--rationale",
      "release notes come from the vendor tomorrow",
      "--risk",
      "users miss a change notice for a day",
      "--expires",
      "48h",
      "--as",
      "dev-dan",
      "--json",
    );
    expect(requested.code).toBe(0);
    const forever = await odooops(
      ...["exception", "request", "acme-erp", "r-2026.12", "--gates", "G3", "--type", "missing_evidence"],
      ...["--rationale", "release notes come from the vendor", "--risk", "users miss a notice"],
      ...["--expires", "9999-12-31T00:00:00Z", "--as", "dev-dan"],
    );
    expect(forever.code).toBe(2);
    expect(forever.err).toContain("an exception expires within 30 days of its request");
    const { id } = JSON.parse(requested.out) as { id: string };
    const self = await odooops("exception", "approve", id, "--as", "dev-dan");
    expect(self.code).toBe(1);
    expect(self.err).toContain("not allowed"); // developers never approve in production
    const approved = await odooops(
      "exception",
      "approve",
      id,
      "--comment",
      "vendor confirmed",
      "--as",
      "rm-chloe",
    );
    expect(approved.code).toBe(0);
    expect(approved.out).toContain("approved, approved by rm-chloe; active until");

    const noNotes = evidenceArgs("G3", "release_notes");
    const g3 = await odooops("gate", "sign", "acme-erp", "r-cli", "G3", ...noNotes, "--as", "rm-ben");
    expect(g3.code).toBe(0);
    expect(g3.out).toContain(`G3 of r-cli passed under exception ${id} in production`);

    process.env.ODOOOPS_ACTOR = PEOPLE.auditor.login;
    const status = await odooops("release", "status", "acme-erp", "r-cli");
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/G2 Validation Readiness\s+passed\s+signed by qa-ana/);
    expect(status.out).toMatch(/G3 Promotion Readiness\s+excepted/);
    expect(status.out).toContain("next: G4 in production, signed by sre");

    const audit = await odooops("audit", "acme-erp", "--release", "r-cli", "--json");
    const actions = (JSON.parse(audit.out) as { action: string; subject: string }[]).map((e) => e.action);
    expect(actions.filter((a) => a === "gate.passed")).toHaveLength(3);
    expect(actions).toContain("exception.approved");
    const text = await odooops("audit", "acme-erp", "--limit", "3");
    expect(text.out.split("\n")).toHaveLength(3);
  });

  it("reports refusals with the database's reason and exits 1; JSON callers get the error as data", async () => {
    const refused = await odooops(
      "release",
      "create",
      "acme-erp",
      "r-nope",
      "--build",
      builds.staging,
      "--as",
      "qa-ana",
      "--json",
    );
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toEqual({
      error: expect.objectContaining({ kind: "forbidden", code: "42501" }),
    });
    expect(refused.err).toContain("qa_tester may not release.create in production");
  });

  it("rejects malformed input before contacting anything, exit 2", async () => {
    expect((await odooops("gate", "sign", "acme-erp", "r-cli", "G5")).err).toContain(
      "gate: must be G1, G2, G3 or G4",
    );
    const bad = await odooops(
      "gate",
      "sign",
      "acme-erp",
      "r-cli",
      "G2",
      "--evidence",
      "screenshot=https://x/1",
    );
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.err).toContain("the kind must be one of");
    expect((await odooops("exception", "approve", "not-a-uuid")).code).toBe(2);
    expect((await odooops("release", "status", "Acme", "r-1")).err).toContain("project:");
  });

  it("needs a configured control plane and never prints its credentials", async () => {
    process.env.ODOOOPS_CONTROL_PLANE_URL = "";
    const none = await odooops("release", "status", "acme-erp", "r-cli");
    expect(none).toMatchObject({ code: 2 });
    expect(none.err).toContain("no control plane configured");
    process.env.ODOOOPS_CONTROL_PLANE_URL = "postgresql://postgres:s3cr3t-pw@127.0.0.1:1/nowhere";
    const down = await odooops("release", "status", "acme-erp", "r-cli");
    expect(down.code).toBe(2);
    expect(down.err).toContain("cannot reach the control plane at postgresql://postgres@127.0.0.1:1/nowhere");
    expect(down.err).not.toContain("s3cr3t");
    process.env.ODOOOPS_CONTROL_PLANE_URL = h.db.url;
  });
});
