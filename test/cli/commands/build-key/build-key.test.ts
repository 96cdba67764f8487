import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../../cli/main.ts";
import { AGENT_KEY_PATTERN, BUILD_KEY_PATTERN } from "../../../../model/governance/build-keys.ts";
import { BRANCHES, image, seedProject } from "../../../controlplane/support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "../../../controlplane/support/harness.ts";

/** `odooops build-key create | list | revoke` against a local database, as at a terminal. */
async function odooops(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("odooops build-key", () => {
  let h: AdapterHarness;
  const saved = { ...process.env };

  beforeAll(async () => {
    h = await pgHarness();
    await seedProject(h.as("service"), "acme-erp");
    for (const key of ["SUPABASE_URL", "SUPABASE_KEY", "SUPABASE_SERVICE_ROLE_KEY", "ODOOOPS_ACTOR"])
      delete process.env[key];
    process.env.ODOOOPS_CONTROL_PLANE_URL = h.db.url;
  });
  afterAll(async () => {
    process.env = saved;
    await h.close();
  });

  it("prints the key once, alone on stdout, and where to store it on stderr", async () => {
    const created = await odooops(
      "build-key",
      "create",
      "acme-erp",
      "--stage",
      "staging",
      "--label",
      "acme staging",
      "--as",
      "rm-ben",
    );
    expect(created.code).toBe(0);
    expect(created.out).toMatch(BUILD_KEY_PATTERN);
    expect(created.err).not.toContain(created.out);
    expect(created.err).toMatch(
      /created build key [0-9a-f-]{36} of acme-erp \(staging\) "acme staging" by rm-ben/,
    );
    expect(created.err).toContain("ODOOOPS_BUILD_KEY of the staging environment");
    expect(created.err).toContain(
      "pulumi config set --stack prod --secret --path 'odooops-app:buildKeys.acme-erp.staging'",
    );
    // The key works, as the app repository's CI uses it.
    const recorded = await h.as("anon").recordBuildWithKey({
      key: created.out,
      project: "acme-erp",
      branch: BRANCHES.staging,
      stage: "staging",
      build: "b-cli-1",
      image: image("cli"),
      commit: "abcdef1",
    });
    expect(recorded.stage).toBe("staging");

    const listed = await odooops("build-key", "list", "acme-erp", "--as", "audit-dana");
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^[0-9a-f-]{36} {2}staging +active +created .* by rm-ben {2}"acme staging"$/);
    expect(listed.out).not.toContain(created.out);

    const id = /build key ([0-9a-f-]{36})/.exec(created.err)![1]!;
    const revoked = await odooops("build-key", "revoke", id, "--as", "sre-sam", "--json");
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.out)).toMatchObject({
      id,
      active: false,
      revokedBy: "sre-sam",
      project: "acme-erp",
    });
    const again = await odooops("build-key", "revoke", id, "--as", "sre-sam");
    expect(again.code).toBe(1);
    expect(again.err).toContain("odooops: already decided: build key");
  });

  it("gives the key in --json, and refuses who may not create one (exit 1) or a wrong stage (exit 2)", async () => {
    const json = await odooops(
      "build-key",
      "create",
      "acme-erp",
      "--stage",
      "development",
      "--as",
      "sre-sam",
      "--json",
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      stages: ["development"],
      key: expect.stringMatching(BUILD_KEY_PATTERN),
    });

    const dev = await odooops("build-key", "create", "acme-erp", "--stage", "development", "--as", "dev-dan");
    expect(dev).toMatchObject({ code: 1, out: "" });
    expect(dev.err).toContain(
      "odooops: not allowed: developer may not build_key.create in development: only release_manager, sre may",
    );
    const sre = await odooops(
      "build-key",
      "create",
      "acme-erp",
      "--stage",
      "staging,production",
      "--as",
      "sre-sam",
    );
    expect(sre.code).toBe(1);
    expect(sre.err).toContain("sre may not build_key.create in production");

    for (const argv of [["--stage", "preview"], [], ["--stage", "staging", "--label", "x".repeat(101)]]) {
      const wrong = await odooops("build-key", "create", "acme-erp", ...argv, "--as", "rm-ben");
      expect(wrong.code, argv.join(" ")).toBe(2);
      expect(wrong.out).toBe("");
    }
    expect((await odooops("build-key", "revoke", "not-an-id", "--as", "rm-ben")).code).toBe(2);
  });

  it("creates a production agent's key with --agent, for one stage, and says where it is stored", async () => {
    // An agent key records backups and drills: an SRE, who may do both, makes it; a release manager may not drill.
    const byRm = await odooops(
      ...["build-key", "create", "acme-erp", "--stage", "production", "--agent", "--as", "rm-ben"],
    );
    expect(byRm.code).toBe(1);
    expect(byRm.err).toContain("may not restore.drill in production");
    const created = await odooops(
      ...["build-key", "create", "acme-erp", "--stage", "production", "--agent", "--as", "sre-sam"],
    );
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(AGENT_KEY_PATTERN);
    expect(created.err).toMatch(/created agent key [0-9a-f-]{36} of acme-erp \(production\) by sre-sam/);
    expect(created.err).toContain(
      "pulumi config set --stack prod --secret --path 'odooops:agentKeys.acme-erp'",
    );
    const two = await odooops(
      ...["build-key", "create", "acme-erp", "--stage", "staging,production", "--agent", "--as", "sre-sam"],
    );
    expect(two.code).toBe(2);
    expect(two.err).toContain("an agent key is for one stage");
  });
});
