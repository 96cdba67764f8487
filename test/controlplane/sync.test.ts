import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { refusal } from "./support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "./support/harness.ts";
import { platformRepo, useControlPlaneEnv } from "./support/sync-fixtures.ts";

/** `odooops control-plane sync`: projects, branch rules and members from Git, in one transaction. */
describe("odooops control-plane sync", () => {
  let h: AdapterHarness;
  const repo = platformRepo();
  let restoreEnv: () => void;
  const sync = (commit: string) => runCli(...repo.syncArgs(commit));
  const members = async (project: string) =>
    (
      await h.db.sql<{ login: string; role: string; github_id: string }>(
        `select m.github_login as login, m.role, m.github_id from ops.members m
           join ops.projects p on p.id = m.project_id where p.name = $1 order by m.github_login`,
        [project],
      )
    ).rows.map((r) => `${r.login}:${r.role}:${r.github_id}`);
  const synced = async (project: string) =>
    (
      await h.db.sql<{ details: Record<string, unknown>; actor_login: string }>(
        `select e.details, e.actor_login from ops.audit_events e join ops.projects p on p.id = e.project_id
          where p.name = $1 and e.action = 'project.synced' order by e.id`,
        [project],
      )
    ).rows;

  beforeAll(async () => {
    h = await pgHarness();
    restoreEnv = useControlPlaneEnv(h.db.url);
  });
  afterAll(async () => {
    restoreEnv();
    repo.remove();
    await h.close();
  });

  it("registers every project with its branch rules and members keyed by GitHub id, teams expanded", async () => {
    const first = await sync("a1b2c3d4");
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toContain(
      "acme-erp: added audit-dana, dev-dan, dev-dora, qa-ana, rm-ben, rm-chloe, sre-sam",
    );
    expect(first.stdout).toContain("hello: added rm-ben");
    expect(await members("acme-erp")).toEqual([
      "audit-dana:auditor:5007",
      "dev-dan:developer:5001",
      "dev-dora:developer:5002",
      "qa-ana:qa_tester:5003",
      "rm-ben:release_manager:5004",
      "rm-chloe:release_manager:5005",
      "sre-sam:sre:5006",
    ]);
    const rules = await h.db.sql("select branch_rules from ops.projects where name = 'acme-erp'");
    expect(rules.rows[0]?.branch_rules).toContainEqual({ match: "release/*", stage: "staging", ttl: "14d" });
    expect(await synced("acme-erp")).toEqual([
      {
        actor_login: "service_role",
        details: expect.objectContaining({ commit: "a1b2c3d4", removed: [], changed: [] }),
      },
    ]);
  });

  it("is idempotent, and records who was removed or renamed by which commit", async () => {
    expect((await sync("a1b2c3d4")).stdout).toContain("acme-erp: members unchanged");

    repo.edit("acme-erp.yaml", (t) =>
      t.replace("qa_tester: { users: [qa-ana] }", "qa_tester: { users: [qa-anna] }"),
    );
    repo.edit("acme-erp.yaml", (t) => t.replace("users: [rm-ben, rm-chloe]", "users: [rm-ben]"));
    // qa-ana renamed her GitHub account: same id, new login. She stays the same member.
    repo.writeIdentities({
      users: {
        "dev-dan": 5001,
        "dev-dora": 5002,
        "qa-anna": 5003,
        "rm-ben": 5004,
        "sre-sam": 5006,
        "audit-dana": 5007,
      },
      teams: { "acme-devs": ["dev-dan", "dev-dora"], "platform-sre": ["sre-sam"] },
    });
    const second = await sync("e5f6a7b8");
    expect(second.stdout).toContain("acme-erp: removed rm-chloe; changed qa-anna");
    expect(await members("acme-erp")).toContain("qa-anna:qa_tester:5003");
    expect(await members("acme-erp")).not.toContain("rm-chloe:release_manager:5005");
    expect((await synced("acme-erp")).at(-1)?.details).toMatchObject({
      commit: "e5f6a7b8",
      added: [],
      removed: ["rm-chloe"],
      changed: ["qa-anna"],
    });
    const removed = await h.db.sql(
      "select subject_id from ops.audit_events where action = 'member.removed' order by id",
    );
    expect(removed.rows.map((r) => r.subject_id)).toEqual(["rm-chloe"]);
  });

  it("refuses an unknown GitHub user or a person under two personas in one line each, applying nothing", async () => {
    const before = await members("acme-erp");
    repo.edit("acme-erp.yaml", (t) =>
      t.replace("auditor: { users: [audit-dana] }", "auditor: { users: [audit-dana, ghost-user] }"),
    );
    const unknown = await sync("0badc0de");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /acme-erp\.yaml:\d+:\d+ personas\.auditor\.users\[1\]: GitHub user ghost-user does not exist/,
    );
    repo.edit("acme-erp.yaml", (t) => t.replace("[audit-dana, ghost-user]", "[audit-dana, dev-dan]"));
    const twice = await sync("0badc0de");
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("dev-dan is auditor (user dev-dan) and already developer (team acme-devs");
    expect(await members("acme-erp")).toEqual(before);
    expect((await synced("acme-erp")).map((e) => e.details.commit)).not.toContain("0badc0de");
    repo.edit("acme-erp.yaml", (t) => t.replace("[audit-dana, dev-dan]", "[audit-dana]"));
  });

  it("is one transaction for every project, and only the service role may run it", async () => {
    const service = h.as("service");
    const fresh = {
      name: "fresh-one",
      repo: "insightpulseai/fresh-one",
      requiredChecks: [],
      branchRules: [{ match: "main", stage: "production" as const }],
    };
    await refusal(
      service.syncProjects({
        commit: "abcdef12",
        projects: [
          { ...fresh, members: [{ githubId: 9001, login: "new-person", role: "developer" }] },
          { ...fresh, name: "broken-one", members: [{ githubId: 9002, login: "x", role: "owner" as never }] },
        ],
      }),
      "invalid_input",
    );
    const created = await h.db.sql("select 1 from ops.projects where name = 'fresh-one'");
    expect(created.rowCount).toBe(0);

    await refusal(
      h
        .as({ login: "rm-ben", userId: "", role: "release_manager" })
        .syncProjects({ commit: "abcdef12", projects: [] }),
      "forbidden",
    );
  });
});
