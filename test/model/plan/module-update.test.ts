import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CHANGED_MODULES_SCRIPT,
  moduleUpdateCommand,
  type UpdateStep,
} from "../../../model/plan/module-update.ts";
import { IMAGE, ONE_SHOT_CONF, sandbox } from "../support/one-shot-sandbox.ts";

describe("the module update of a new image", () => {
  const step = (over: Partial<UpdateStep> = {}): UpdateStep => ({
    stage: "production",
    slug: "main",
    database: "acme",
    image: IMAGE,
    dataDir: "/mnt/odooops/main",
    release: "r-7",
    ...over,
  });

  it("in production: backs up first, then updates exactly the modules whose manifest version changed", () => {
    const box = sandbox({ changed: "sale,stock" });
    const result = box.sh(moduleUpdateCommand(step()));
    expect(result.status, result.stderr).toBe(0);
    const calls = box.calls();
    expect(calls[0]).toBe("odooops agent backup --db-url-env ODOOOPS_DB_URL --pre-deploy --release r-7");
    expect(box.run(0).args.slice(0, 2)).toEqual(["odoo", "shell"]);
    expect(box.run(0).stdin).toBe(`${CHANGED_MODULES_SCRIPT}\n`);
    expect(box.run(1).args).toEqual([
      "odoo",
      "-c",
      ONE_SHOT_CONF,
      "-d",
      "acme",
      "--no-http",
      "-u",
      "sale,stock",
      "--stop-after-init",
    ]);
    const record = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
    expect(record).toMatchObject({
      kind: "module-update",
      database: "acme",
      image: IMAGE,
      modules: "sale,stock",
      result: "passed",
    });
    expect(readFileSync(`${record.log}.json`, "utf8")).toContain('"result":"passed"');
    expect(statSync(record.log).isFile()).toBe(true);
  });

  it("in production: runs no update when no version changed", () => {
    const box = sandbox({ changed: "" });
    const result = box.sh(moduleUpdateCommand(step()));
    expect(result.status, result.stderr).toBe(0);
    expect(box.calls().filter((c) => c.startsWith("odoo "))).toHaveLength(1);
    expect(JSON.parse(result.stdout.trim().split("\n").at(-1)!)).toMatchObject({
      modules: "",
      result: "passed",
    });
  });

  it("outside production: updates all modules, without a backup", () => {
    const box = sandbox();
    const result = box.sh(
      moduleUpdateCommand(step({ stage: "staging", slug: "release--v2", release: undefined })),
    );
    expect(result.status, result.stderr).toBe(0);
    expect(box.calls().some((c) => c.startsWith("odooops"))).toBe(false);
    expect(box.run(0).args).toContain("all");
  });

  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const failure = (database: string, at: string, slug: string) =>
    new RegExp(
      `^module update of ${database} with ${literal(IMAGE)} failed at ${literal(at)}: the running Odoo keeps the previous image; log: .*/${slug}/\\d{8}T\\d{6}Z-update\\.log$`,
    );

  it("fails with one line naming database, image and log when Odoo's update fails, after recording it", () => {
    const box = sandbox({ updateExit: 255 });
    const result = box.sh(
      moduleUpdateCommand(step({ stage: "development", slug: "feature--x", database: "acme_feature__x" })),
    );
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(
      failure("acme_feature__x", "odoo -u all", "feature--x"),
    );
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ result: "failed", modules: "all" });
  });

  it("stops before any update when the pre-deploy backup fails", () => {
    const box = sandbox({ backupExit: 1, changed: "sale" });
    const result = box.sh(moduleUpdateCommand(step()));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("backup of acme FAILED");
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(failure("acme", "the pre-deploy backup", "main"));
    expect(box.calls().some((c) => c.startsWith("docker "))).toBe(false);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ result: "failed", modules: "" });
  });

  it("says so in one line when the host's Docker engine does not answer", () => {
    const box = sandbox({ engineDown: true });
    const result = box.sh(moduleUpdateCommand(step()));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("Cannot connect to the Docker daemon");
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(
      failure("acme", "listing the changed modules", "main"),
    );
  });

  it.each([
    ["a quote that would add fields to the record", 'sale","result":"passed'],
    ["a second list", "sale\nODOOOPS_CHANGED_MODULES=stock"],
    ["a shell expansion", "sale$(id)"],
  ])("in production: refuses a changed-module list holding %s, updating nothing", (_, changed) => {
    const box = sandbox({ changed });
    const result = box.sh(moduleUpdateCommand(step()));
    expect(result.status).toBe(1);
    expect(box.calls().filter((c) => c.startsWith("odoo "))).toHaveLength(1);
    expect(result.stderr.trim().split("\n").at(-1)).toMatch(
      failure(
        "acme",
        "listing the changed modules (the image printed something other than module names)",
        "main",
      ),
    );
    const record = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
    expect(record).toMatchObject({ result: "failed", modules: "" });
  });
});
