import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildInput } from "../../../controlplane/types.ts";
import { BUILD_KEY_PATTERN } from "../../../model/governance/build-keys.ts";
import { authorize } from "../../../model/governance/decision-rights.ts";
import type { Stage } from "../../../model/stages.ts";
import { BRANCHES, image, PEOPLE, refusal, seedProject } from "./fixtures.ts";
import type { AdapterHarness } from "./harness.ts";

/**
 * Build keys, for either adapter: what an app repository's CI records builds with, as anon (Supabase's
 * public key) plus a key bound to one project and its stages. Everything else is refused alike.
 */
export function buildKeyBehaviour(adapter: string, setup: () => Promise<AdapterHarness>): void {
  describe(`${adapter} adapter: build keys`, () => {
    const project = "acme-erp";
    let h: AdapterHarness;
    let n = 0;

    beforeAll(async () => {
      h = await setup();
      await seedProject(h.as("service"), project);
      await h.as("service").registerProject({ project: "other-erp", repo: "insightpulseai/other-erp" });
    });
    afterAll(() => h.close());

    /** A fresh CI build of `stage`, as app-build.yml sends it. */
    function build(stage: Stage, over: Partial<BuildInput> = {}): BuildInput {
      n++;
      return {
        project,
        branch: BRANCHES[stage],
        stage,
        build: `b-key-${n}`,
        image: image(`key-${n}`),
        commit: "4f2a9c1e8b7d",
        checks: { "odooops/build": "success", "odooops/module-tests": "success" },
        author: PEOPLE.dev.login,
        logUri: `https://github.com/insightpulseai/acme-erp/actions/runs/${n}`,
        ...over,
      };
    }

    it("records a build of its project and stage with the key alone, attributed to the key", async () => {
      const created = await h
        .as(PEOPLE.rm)
        .createBuildKey({ project, stages: ["staging"], label: "acme-erp staging environment" });
      expect(created).toMatchObject({
        project,
        stages: ["staging"],
        label: "acme-erp staging environment",
        createdBy: PEOPLE.rm.login,
        active: true,
        revokedAt: null,
      });
      expect(created.key).toMatch(BUILD_KEY_PATTERN);

      const recorded = await h.as("anon").recordBuildWithKey({ key: created.key, ...build("staging") });
      expect(recorded).toMatchObject({
        project,
        stage: "staging",
        recordedWith: created.id,
        g1Evidence: ["build_log", "checks_status"],
      });
      const events = await h.as(PEOPLE.auditor).auditEvents({ project, limit: 1000 });
      expect(events.find((e) => e.action === "build.recorded" && e.subject === recorded.id)).toMatchObject({
        actor: `build-key:${created.id}`,
        actorRole: "build_key",
        stage: "staging",
      });
      const evidence = await h.db.sql<{ attached_login: string }>(
        "select v.attached_login from ops.evidence v join ops.builds b on b.id = v.build_id where b.name = $1",
        [recorded.id],
      );
      expect(evidence.rows.map((r) => r.attached_login)).toEqual([
        `build-key:${created.id}`,
        `build-key:${created.id}`,
      ]);
    });

    it("keeps only the key's SHA-256, and shows the key to nobody after its creation", async () => {
      const created = await h.as(PEOPLE.sre).createBuildKey({ project, stages: ["development"] });
      const rows = await h.db.sql<{ row: Record<string, unknown> }>(
        "select to_jsonb(k) as row from ops.build_keys k",
      );
      const stored = JSON.stringify(rows.rows);
      expect(stored).not.toContain(created.key);
      expect(stored).not.toContain(created.key.slice("odooops_bk_".length, 30));
      const mine = rows.rows.find((r) => r.row.id === created.id)!.row;
      expect(mine.key_hash).toBe(createHash("sha256").update(created.key).digest("hex"));
      const audit = await h.db.sql<{ details: unknown }>("select details from ops.audit_events");
      expect(JSON.stringify(audit.rows)).not.toContain(created.key);
      expect(JSON.stringify(audit.rows)).not.toContain(String(mine.key_hash));

      const listed = await h.as(PEOPLE.auditor).listBuildKeys({ project });
      expect(listed.map((k) => k.id)).toContain(created.id);
      expect(JSON.stringify(listed)).not.toContain(created.key);
      expect(JSON.stringify(listed)).not.toContain(String(mine.key_hash));
    });

    it("refuses a foreign, unknown or missing key alike, without telling whether the project exists", async () => {
      const { key } = await h.as(PEOPLE.rm).createBuildKey({ project, stages: ["development"] });
      const anon = h.as("anon");
      const other = await refusal(
        anon.recordBuildWithKey({ key, ...build("development", { project: "other-erp" }) }),
        "forbidden",
      );
      const nowhere = await refusal(
        anon.recordBuildWithKey({ key, ...build("development", { project: "no-such-erp" }) }),
        "forbidden",
      );
      expect(other.message).toBe(nowhere.message.replace("no-such-erp", "other-erp"));
      expect(other.message).toContain("unknown, revoked or another project's");
      const unknown = `odooops_bk_${"A".repeat(43)}`;
      for (const wrong of [unknown, "", key.slice(0, -1), `${key}x`]) {
        const refused = await refusal(
          anon.recordBuildWithKey({ key: wrong, ...build("development") }),
          "forbidden",
        );
        expect(refused.message).toBe(other.message.replace("other-erp", project));
        expect(refused.describe()).not.toContain(key);
      }
      // anon has nothing else: not the service role's record_build, not a read.
      await refusal(anon.recordBuild(build("development")), "forbidden");
      await refusal(anon.catalog(), "forbidden");
      await refusal(anon.listBuildKeys({ project }), "forbidden");
      const written = await h.db.sql(
        "select 1 from ops.builds b join ops.projects p on p.id = b.project_id where p.name <> $1",
        [project],
      );
      expect(written.rowCount).toBe(0);
    });

    it("refuses a stage the key is not for, and a revoked key", async () => {
      const dev = await h.as(PEOPLE.rm).createBuildKey({ project, stages: ["development"] });
      const refused = await refusal(
        h.as("anon").recordBuildWithKey({ key: dev.key, ...build("staging") }),
        "forbidden",
      );
      expect(refused.message).toBe(
        `this build key of ${project} records development builds only, not staging`,
      );
      await refusal(h.as("anon").recordBuildWithKey({ key: dev.key, ...build("production") }), "forbidden");
      await h.as("anon").recordBuildWithKey({ key: dev.key, ...build("development") });

      const revoked = await h.as(PEOPLE.sre).revokeBuildKey({ id: dev.id });
      expect(revoked).toMatchObject({ id: dev.id, active: false, revokedBy: PEOPLE.sre.login, project });
      await refusal(h.as("anon").recordBuildWithKey({ key: dev.key, ...build("development") }), "forbidden");
      await refusal(h.as(PEOPLE.rm).revokeBuildKey({ id: dev.id }), "already_decided");
      await refusal(
        h.as(PEOPLE.rm).revokeBuildKey({ id: "00000000-0000-4000-8000-000000000000" }),
        "not_found",
      );
    });

    it("lets only the personas of decision rights create and revoke keys, never automation", async () => {
      for (const [who, stage] of [
        [PEOPLE.dev, "development"],
        [PEOPLE.qa, "staging"],
        [PEOPLE.auditor, "development"],
        [PEOPLE.sre, "production"],
      ] as const) {
        const refused = await refusal(h.as(who).createBuildKey({ project, stages: [stage] }), "forbidden");
        expect(refused.message).toBe(authorize(who.role, "build_key.create", stage).reason);
      }
      // A key for several stages needs the right in each of them.
      await refusal(
        h.as(PEOPLE.sre).createBuildKey({ project, stages: ["staging", "production"] }),
        "forbidden",
      );
      const service = await refusal(
        h.as("service").createBuildKey({ project, stages: ["development"] }),
        "forbidden",
      );
      expect(service.message).toContain("that decision needs a person");
      await refusal(h.as(PEOPLE.rm).createBuildKey({ project, stages: [] }), "invalid_input");

      const production = await h.as(PEOPLE.rm).createBuildKey({ project, stages: ["production"] });
      await refusal(h.as(PEOPLE.dev).revokeBuildKey({ id: production.id }), "forbidden");
      await refusal(h.as("service").revokeBuildKey({ id: production.id }), "forbidden");
      expect((await h.as(PEOPLE.sre).revokeBuildKey({ id: production.id })).active).toBe(false);
    });

    it("audits each key's creation and revocation in the same transaction, without the key", async () => {
      const created = await h
        .as(PEOPLE.rm2)
        .createBuildKey({ project, stages: ["staging"], label: "audit me" });
      await h.as(PEOPLE.rm).revokeBuildKey({ id: created.id });
      const events = (await h.as(PEOPLE.auditor).auditEvents({ project, limit: 1000 })).filter(
        (e) => e.subject === created.id,
      );
      expect(events.map((e) => [e.action, e.actor, e.actorRole, e.stage])).toEqual([
        ["build_key.created", PEOPLE.rm2.login, "release_manager", "staging"],
        ["build_key.revoked", PEOPLE.rm.login, "release_manager", "staging"],
      ]);
      expect(events[1]!.details).toEqual({
        stages: ["staging"],
        label: "audit me",
        createdBy: PEOPLE.rm2.login,
        revokedBy: PEOPLE.rm.login,
      });
      // Refused attempts left nothing behind.
      const keys = await h.as(PEOPLE.auditor).listBuildKeys({ project });
      const all = await h.as(PEOPLE.auditor).auditEvents({ project, limit: 1000 });
      expect(all.filter((e) => e.action === "build_key.created")).toHaveLength(keys.length);
    });
  });
}
