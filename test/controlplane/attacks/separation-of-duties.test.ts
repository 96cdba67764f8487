import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXCEPTION_MAX_DAYS, gateDefinition } from "../../../model/governance/gates.ts";
import { BRANCHES, evidenceFor, PEOPLE, refusal, seedProject } from "../support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "../support/harness.ts";

/**
 * Attacks 5, 6 and 8, each as the people who would try it: a G2 signer who later signs G3 after someone
 * else re-signed G2 over them; an SRE using another SRE's approved restore request; an exception that
 * never expires.
 */
const project = "acme-erp";
const evidence = (gate: "G2" | "G3") => evidenceFor(gateDefinition(gate).requiredEvidence);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe("attack: separation of duties and bounded waivers", () => {
  let h: AdapterHarness;
  let builds: Awaited<ReturnType<typeof seedProject>>;

  beforeAll(async () => {
    h = await pgHarness();
    builds = await seedProject(h.as("service"), project);
  });
  afterAll(() => h.close());

  it("keeps every G2 signature: someone who ever signed G2 never signs G3, even after a re-sign", async () => {
    const ref = { project, release: "r-sod" };
    await h.as(PEOPLE.rm).createRelease({ ...ref, build: builds.staging });
    await h.as("service").signGate({ ...ref, gate: "G1" });
    const waiver = await h.as(PEOPLE.qa).requestException({
      ...ref,
      type: "missing_evidence",
      rationale: "the defect register moves tools",
      risk: "a known defect ships unlisted",
      gates: ["G2"],
      expiresAt: inDays(1),
      reviewRequired: true,
    });
    await h.as(PEOPLE.rm2).approveException({ id: waiver.id });
    await h.as(PEOPLE.qa).signGate({ ...ref, gate: "G2" }); // under the exception
    // The exception lapses; the gate is missing again and another QA tester signs it with evidence.
    await h.db.sql(
      "update ops.exceptions set requested_at = now() - interval '2 days', expires_at = now() - interval '1 day' where id = $1",
      [waiver.id],
    );
    await h.as(PEOPLE.qa2).signGate({ ...ref, gate: "G2", evidence: evidence("G2") });
    const signatures = await h.db.sql<{ signed_login: string }>(
      "select signed_login from ops.release_gates g join ops.releases r on r.id = g.release_id where r.name = $1 and g.gate = 'G2' order by g.id",
      [ref.release],
    );
    expect(signatures.rows.map((r) => r.signed_login)).toEqual([PEOPLE.qa.login, PEOPLE.qa2.login]);
    const status = await h.as(PEOPLE.auditor).releaseStatus(ref);
    expect(status.gates.find((g) => g.gate === "G2")).toMatchObject({
      outcome: "passed",
      signedBy: PEOPLE.qa2.login,
    });

    // The first signer is now the project's release manager: G3 is still not theirs to sign.
    await h.as("service").setMember({
      project,
      userId: PEOPLE.qa.userId,
      githubLogin: PEOPLE.qa.login,
      role: "release_manager",
    });
    const refused = await refusal(
      h.as(PEOPLE.qa).signGate({ ...ref, gate: "G3", evidence: evidence("G3") }),
      "separation_of_duties",
    );
    expect(refused.message).toBe(
      `${PEOPLE.qa.login} signed G2 of release ${ref.release} and so cannot sign G3`,
    );
    await h
      .as("service")
      .setMember({ project, userId: PEOPLE.qa.userId, githubLogin: PEOPLE.qa.login, role: "qa_tester" });

    // Nobody rewrites a signature, the owner included.
    await expect(h.db.sql("update ops.release_gates set signed_login = 'someone-else'")).rejects.toThrow(
      /gate signatures are append-only/,
    );
    await expect(h.db.sql("delete from ops.release_gates")).rejects.toThrow(/append-only/);
  });

  it("lets only the SRE who made a restore request use it", async () => {
    const backup = "acme_erp/20261123T020000Z-scheduled";
    const request = await h
      .as(PEOPLE.sre2)
      .requestRestore({ project, branch: BRANCHES.production, backup, reason: "a bad import overnight" });
    await h.as(PEOPLE.rm).approveRestore({ id: request.id });
    const other = await h
      .as(PEOPLE.sre)
      .requestRestoreAccess({ project, branch: BRANCHES.production, request: request.id });
    expect(other).toMatchObject({ allowed: false, backup: null });
    expect(other.reason).toBe(
      `restore request ${request.id} is ${PEOPLE.sre2.login}'s: only the SRE who made it may use it`,
    );
    const [listed] = await h.as(PEOPLE.auditor).listRestoreRequests({ project, state: "approved" });
    expect(listed?.id).toBe(request.id); // still unused
    const own = await h
      .as(PEOPLE.sre2)
      .requestRestoreAccess({ project, branch: BRANCHES.production, request: request.id });
    expect(own).toMatchObject({ allowed: true, backup });
  });

  it(`refuses an exception expiring more than ${EXCEPTION_MAX_DAYS} days after its request`, async () => {
    const ref = { project, release: "r-waiver" };
    await h.as(PEOPLE.rm).createRelease({ ...ref, build: builds.staging });
    const ask = (expiresAt: string) =>
      h.as(PEOPLE.dev).requestException({
        ...ref,
        type: "missing_evidence",
        rationale: "checks are being migrated",
        risk: "a failing check goes unnoticed",
        gates: ["G1"],
        expiresAt,
        reviewRequired: false,
      });
    for (const expiresAt of ["9999-12-31T00:00:00Z", inDays(EXCEPTION_MAX_DAYS + 1)]) {
      const refused = await refusal(ask(expiresAt), "invalid_input");
      expect(refused.message).toBe(`an exception expires within ${EXCEPTION_MAX_DAYS} days of its request`);
    }
    expect((await ask(inDays(EXCEPTION_MAX_DAYS - 1))).status).toBe("requested");
  });
});
