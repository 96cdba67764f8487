import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize } from "../../../model/governance/decision-rights.ts";
import { gateBlockers } from "../../../model/governance/gates.ts";
import { catalogSchema } from "../../../model/input/catalog.ts";
import { loadProjects } from "../../../model/input/loader.ts";
import { stackSettingsSchema } from "../../../model/input/stack-settings.ts";
import { planPlatform } from "../../../model/plan/environment-plan.ts";
import type { Stage } from "../../../model/stages.ts";
import { BRANCHES, image, PEOPLE, refusal, seedProject } from "./fixtures.ts";
import type { AdapterHarness } from "./harness.ts";

/** Backups, drills, access decisions, the build catalog and the audit trail, for either adapter. */
export function operationsBehaviour(adapter: string, setup: () => Promise<AdapterHarness>): void {
  describe(`${adapter} adapter: operations, catalog and audit`, () => {
    const project = "acme-erp";
    let h: AdapterHarness;
    let builds: Record<Stage, string>;

    beforeAll(async () => {
      h = await setup();
      builds = await seedProject(h.as("service"), project);
    });
    afterAll(() => h.close());

    const backup = (status: "succeeded" | "failed") => ({
      project,
      branch: BRANCHES.production,
      kind: "scheduled" as const,
      status,
      location: "s3://acme-erp-backups/daily/2026-11-23.zip",
      startedAt: "2026-11-23T02:00:00Z",
      finishedAt: "2026-11-23T02:04:00Z",
      sizeBytes: 1_234_567,
    });

    it("records backups and drills for the data agent, and never calls an unvalidated backup good", async () => {
      const recorded = await h.as("service").recordBackup(backup("succeeded"));
      expect(recorded).toMatchObject({ stage: "production", status: "succeeded" });
      await refusal(h.as(PEOPLE.dev).recordBackup(backup("succeeded")), "forbidden");
      // The agent finds the record of the backup it drills by where the backup is stored.
      const where = { project, location: backup("succeeded").location };
      expect(await h.as(PEOPLE.sre).findBackup(where)).toMatchObject({
        id: recorded.id,
        stage: "production",
      });
      await refusal(h.as(PEOPLE.dev).findBackup(where), "not_found"); // RLS: not theirs to see
      const drill = {
        backupId: recorded.id,
        criteria: { "database restored": true, "filestore restored": true, "odoo login works": false },
        logUri: "s3://acme-erp-backups/drills/2026-11.log",
        drilledAt: "2026-11-23T05:00:00Z",
      };
      await refusal(h.as("service").recordRestoreDrill({ ...drill, result: "passed" }), "invalid_input");
      const failed = await h.as("service").recordRestoreDrill({ ...drill, result: "failed" });
      expect(failed.result).toBe("failed");
      const allMet = { ...drill.criteria, "odoo login works": true };
      const passed = await h
        .as(PEOPLE.sre)
        .recordRestoreDrill({ ...drill, criteria: allMet, result: "passed" });
      expect(passed).toMatchObject({ result: "passed", backup: recorded.id });
      const broken = await h.as("service").recordBackup(backup("failed"));
      await refusal(
        h
          .as("service")
          .recordRestoreDrill({ ...drill, backupId: broken.id, criteria: allMet, result: "passed" }),
        "invalid_input",
      );
    });

    it("authorizes shell and log access per decision rights and audits refusals too", async () => {
      const granted = await h
        .as(PEOPLE.sre)
        .requestAccess({ project, branch: BRANCHES.production, action: "shell.open" });
      expect(granted).toMatchObject({ allowed: true, role: "sre", stage: "production" });
      const refused = await h
        .as(PEOPLE.dev)
        .requestAccess({ project, branch: BRANCHES.production, action: "shell.open" });
      expect(refused.allowed).toBe(false);
      expect(refused.reason).toBe(authorize("developer", "shell.open", "production").reason);
      const events = await h.as(PEOPLE.auditor).auditEvents({ project, limit: 1000 });
      const access = events.filter((e) => e.action.startsWith("access."));
      expect(access.map((e) => [e.action, e.actor])).toEqual([
        ["access.granted", "sre-sam"],
        ["access.refused", "dev-dan"],
      ]);
      await refusal(
        h.as(PEOPLE.sre).requestAccess({ project, branch: BRANCHES.production, action: "deploy" }),
        "invalid_input",
      );
    });

    it("restores production only on a request approved by someone else, once", async () => {
      const where = { project, branch: BRANCHES.production };
      const backup = "acme_erp/20261123T020000Z-scheduled";
      const asked = await h.as(PEOPLE.sre).requestRestore({ ...where, backup, reason: "a bad import" });
      expect(asked).toMatchObject({ stage: "production", backup, requestedBy: "sre-sam", approvedBy: null });
      await refusal(h.as(PEOPLE.sre).approveRestore({ id: asked.id }), "forbidden");
      await refusal(h.as(PEOPLE.rm).requestRestore({ ...where, backup, reason: "x" }), "forbidden");
      const early = await h.as(PEOPLE.sre).requestRestoreAccess({ ...where, request: asked.id });
      expect(early.allowed).toBe(false);
      expect(await h.as(PEOPLE.rm).approveRestore({ id: asked.id })).toMatchObject({ approvedBy: "rm-ben" });
      await refusal(h.as(PEOPLE.rm2).approveRestore({ id: asked.id }), "already_decided");
      const another = await h.as(PEOPLE.sre2).requestRestoreAccess({ ...where, request: asked.id });
      expect(another).toMatchObject({ allowed: false, backup: null });
      expect(another.reason).toContain("only the SRE who made it may use it");
      const granted = await h.as(PEOPLE.sre).requestRestoreAccess({ ...where, request: asked.id });
      expect(granted).toMatchObject({ allowed: true, backup, request: asked.id, stage: "production" });
      const reused = await h.as(PEOPLE.sre).requestRestoreAccess({ ...where, backup, request: asked.id });
      expect(reused).toMatchObject({ allowed: false, backup: null });
      expect(reused.reason).toContain("already used by sre-sam");
      // Outside production decision rights alone decide.
      const preview = await h
        .as(PEOPLE.dev)
        .requestRestoreAccess({ project, branch: BRANCHES.development, backup });
      expect(preview).toMatchObject({ allowed: true, stage: "development", backup });
    });

    it("lists restore requests with their state; a holder of restore.approve rejects one for good", async () => {
      const where = { project, branch: BRANCHES.production };
      const ask = async (backup: string) =>
        (await h.as(PEOPLE.sre).requestRestore({ ...where, backup, reason: "a bad import" })).id;
      const pending = await ask("acme_erp/20261124T020000Z-scheduled");
      const approved = await ask("acme_erp/20261125T020000Z-scheduled");
      const rejected = await ask("acme_erp/20261126T020000Z-scheduled");
      const expired = await ask("acme_erp/20261127T020000Z-scheduled");
      await h.as(PEOPLE.rm).approveRestore({ id: approved });
      await h.db.sql(
        "update ops.restore_requests set requested_at = now() - interval '3 hours', expires_at = now() - interval '1 hour' where id = $1",
        [expired],
      );

      // Only whoever holds restore.approve in production rejects, with a reason.
      await refusal(h.as(PEOPLE.sre).rejectRestore({ id: rejected, reason: "no" }), "forbidden");
      await refusal(h.as(PEOPLE.dev).rejectRestore({ id: rejected, reason: "no" }), "forbidden");
      await refusal(h.as("service").rejectRestore({ id: rejected, reason: "no" }), "forbidden");
      await refusal(h.as(PEOPLE.rm2).rejectRestore({ id: rejected, reason: "  " }), "invalid_input");
      const no = await h.as(PEOPLE.rm2).rejectRestore({ id: rejected, reason: "restore into a copy first" });
      expect(no).toMatchObject({
        state: "rejected",
        rejectedBy: "rm-chloe",
        rejectReason: "restore into a copy first",
        approvedBy: null,
      });
      await refusal(h.as(PEOPLE.rm).rejectRestore({ id: rejected, reason: "again" }), "already_decided");
      await refusal(h.as(PEOPLE.rm).rejectRestore({ id: approved, reason: "too late" }), "already_decided");
      await refusal(h.as(PEOPLE.rm).rejectRestore({ id: expired, reason: "too late" }), "exception_inactive");
      // A rejected request is neither approved nor used afterwards.
      await refusal(h.as(PEOPLE.rm).approveRestore({ id: rejected }), "already_decided");
      const used = await h.as(PEOPLE.sre).requestRestoreAccess({ ...where, request: rejected });
      expect(used).toMatchObject({ allowed: false, backup: null });
      expect(used.reason).toBe(
        `restore request ${rejected} was rejected by rm-chloe: restore into a copy first`,
      );

      const states = async (who: (typeof PEOPLE)[keyof typeof PEOPLE], state?: "pending" | "rejected") =>
        Object.fromEntries(
          (await h.as(who).listRestoreRequests({ project, state })).map((r) => [r.id, r.state]),
        );
      const seen = await states(PEOPLE.auditor);
      expect(Object.values(seen)).toContain("consumed"); // the request used in the test before
      expect(seen).toMatchObject({
        [pending]: "pending",
        [approved]: "approved",
        [rejected]: "rejected",
        [expired]: "expired",
      });
      expect(await states(PEOPLE.rm)).toEqual(seen);
      expect(await states(PEOPLE.sre, "pending")).toEqual({ [pending]: "pending" });
      expect(await states(PEOPLE.rm, "rejected")).toEqual({ [rejected]: "rejected" });
      // As the table's read policy: developers and QA operate no production data and see none.
      expect(await h.as(PEOPLE.dev).listRestoreRequests({ project })).toEqual([]);
      expect(await h.as(PEOPLE.qa).listRestoreRequests({ project })).toEqual([]);
      // A project one is not a member of, existing or not, is refused alike.
      await refusal(h.as(PEOPLE.rm).listRestoreRequests({ project: "no-such-erp" }), "forbidden");

      const events = await h.as(PEOPLE.auditor).auditEvents({ project, limit: 10_000 });
      const rejection = events.filter((e) => e.action === "restore.rejected");
      expect(rejection).toHaveLength(1);
      expect(rejection[0]).toMatchObject({
        actor: "rm-chloe",
        stage: "production",
        subject: rejected,
        details: { rejectedBy: "rm-chloe", rejectReason: "restore into a copy first" },
      });
    });

    it("answers can() as authorize() does", async () => {
      for (const [who, action, stage] of [
        [PEOPLE.qa, "gate.sign.G2", "staging"],
        [PEOPLE.qa, "gate.sign.G2", "production"],
        [PEOPLE.sre, "restore.drill", "development"],
      ] as const) {
        const answer = await h.as(who).can({ project, action, stage });
        const model = authorize(who.role, action, stage);
        expect(answer).toEqual({ role: who.role, allowed: model.allowed, reason: model.reason });
      }
    });

    it("serves the build catalog the offline plan reads: latest good build per live branch, release gates", async () => {
      const service = h.as("service");
      await service.recordBuild({
        project,
        branch: BRANCHES.staging,
        stage: "staging",
        build: "b-stag-2",
        image: image("broken"),
        commit: "9a8b7c6d5e4f",
        checks: { "odooops/build": "failure" },
        builtAt: new Date().toISOString(), // the newest of its branch, and failed
      });
      await service.recordBuild({
        project,
        branch: "feature/gone",
        stage: "development",
        build: "b-gone-1",
        image: image("gone"),
        commit: "1b2c3d4e5f6a",
      });
      await service.closeEnvironment({ project, branch: "feature/gone" });
      await h.as(PEOPLE.rm).createRelease({ project, release: "r-cat", build: builds.production });
      await service.signGate({ project, release: "r-cat", gate: "G1" }); // CI signs G1 of its own build

      const catalog = catalogSchema.parse(await h.as(PEOPLE.auditor).catalog());
      const acme = catalog.projects[project]!;
      expect(acme.branches.map((b) => [b.name, b.build.id]).sort()).toEqual(
        [
          [BRANCHES.development, builds.development],
          [BRANCHES.production, builds.production],
          [BRANCHES.staging, builds.staging], // b-stag-2 failed its checks
        ].sort(),
      );
      const release = acme.releases.find((r) => r.id === "r-cat")!;
      expect(release).toMatchObject({ image: image(`${project}-production`), passed: ["G1"] });
      expect(gateBlockers(release, "G3", new Date())).toEqual(["G2", "G3"]);

      // the offline plan accepts it as it accepts the catalog file
      const loaded = loadProjects(["examples/projects/acme-erp.yaml"], { platformDomain: "odooops.example" });
      const settings = stackSettingsSchema.parse({
        stages: ["staging", "development"],
        platformDomain: "odooops.example",
        region: "sgp1",
      });
      const plan = planPlatform(loaded.projects, catalog, settings);
      const staging = plan.projects[0]!.environments.find((e) => e.branch === BRANCHES.staging);
      expect(staging?.buildId).toBe(builds.staging);
    });

    it("scopes what a member sees to their projects", async () => {
      await h.as("service").registerProject({ project: "other-erp", repo: "insightpulseai/other-erp" });
      const seen = await h.as(PEOPLE.dev).catalog();
      expect(Object.keys(seen.projects)).toEqual([project]);
      const all = await h.as("service").catalog();
      expect(Object.keys(all.projects).sort()).toContain("other-erp");
    });

    it("writes an audit event for every governance change, in the same transaction", async () => {
      const events = await h.as(PEOPLE.auditor).auditEvents({ project, limit: 10_000 });
      const ids = events.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      const count = (action: string) => events.filter((e) => e.action === action).length;
      expect(count("member.added")).toBe(Object.keys(PEOPLE).length);
      expect(count("build.recorded")).toBe(5);
      expect(count("environment.closed")).toBe(1);
      expect(count("backup.recorded")).toBe(2);
      expect(count("restore_drill.recorded")).toBe(2);
      expect(events.find((e) => e.action === "gate.passed")).toMatchObject({
        actor: "service_role",
        release: "r-cat",
      });
      // refused writes left nothing behind
      expect(count("release.created")).toBe(1);
    });
  });
}
