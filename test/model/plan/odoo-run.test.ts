import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { initDatabaseCommand } from "../../../model/plan/agent-commands.ts";
import { oneShotOdoo } from "../../../model/plan/odoo-run.ts";
import { CONF, IMAGE, ONE_SHOT_CONF, sandbox } from "../support/one-shot-sandbox.ts";

describe("a one-shot Odoo run on a host", () => {
  it("starts Odoo itself with the environment's conf, which names every database setting", () => {
    const box = sandbox();
    const line = oneShotOdoo({
      image: IMAGE,
      dataDir: "/mnt/odooops/main",
      args: ["-d", "acme", "-i", "base,crm"],
    });
    expect(box.sh(line).status).toBe(0);
    const { args, conf, mode, stdin } = box.run(0);
    expect(args).toEqual(["odoo", "-c", "/tmp/odooops-odoo.conf", "-d", "acme", "-i", "base,crm"]);
    expect(conf.trimEnd()).toBe(CONF.trimEnd());
    expect(mode).toBe("600");
    expect(stdin).toBe("");
    // Even the official entrypoint, were it used, would add no `--<param> <env default>`: it does so only
    // when `grep -E "^\s*\b<param>\b\s*="` misses in $ODOO_RC. Run that very test on the conf.
    for (const param of ["db_host", "db_port", "db_user", "db_password"])
      expect(() =>
        execFileSync("grep", ["-q", "-E", `^\\s*\\b${param}\\b\\s*=`, join(box.dir, "run-0", "conf")]),
      ).not.toThrow();
    const docker = box.calls().find((c) => c.startsWith("docker "))!;
    expect(docker).toContain(`"--entrypoint","sh"`);
    expect(docker).toContain(`"-v","/mnt/odooops/main:/var/lib/odoo"`);
    expect(docker).not.toContain("s3cret-db-password");
  });

  it("puts a subcommand first and hands `odoo shell` its script on stdin", () => {
    const box = sandbox();
    const line = oneShotOdoo({
      image: IMAGE,
      dataDir: "/d",
      args: ["shell", "-d", "acme"],
      stdinScript: "print(1)",
    });
    expect(box.sh(line).status).toBe(0);
    expect(box.run(0).args.slice(0, 3)).toEqual(["odoo", "shell", "-c"]);
    expect(box.run(0).stdin).toBe("print(1)\n");
  });
});

describe("database init", () => {
  const init = initDatabaseCommand({
    filestore: "/tmp/odooops-test-filestore-unused",
    database: "acme_feature__x",
    owner: "odoo_acme_feature__x",
    image: IMAGE,
    odooVersion: "18.0",
    modules: ["base", "crm"],
    demo: true,
    stage: "development",
  });
  const withoutFilestore = init.replace(/^install -d .*$/m, "true");

  it("installs with the environment's conf, then marks the database", () => {
    const box = sandbox();
    const result = box.sh(withoutFilestore);
    expect(result.status, result.stderr).toBe(0);
    expect(box.run(0).args).toEqual([
      "odoo",
      "-c",
      ONE_SHOT_CONF,
      "-d",
      "acme_feature__x",
      "-i",
      "base,crm",
      "--stop-after-init",
      "--no-http",
    ]);
    expect(box.run(0).conf.trimEnd()).toBe(CONF.trimEnd());
    expect(box.calls().at(-1)).toMatch(/^odooops agent mark .*--stage development/);
  });

  it("says in one line what failed, and marks nothing, when the engine does not answer", () => {
    const box = sandbox({ engineDown: true });
    const result = box.sh(withoutFilestore);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n").at(-1)).toBe(
      `database init of acme_feature__x with ${IMAGE} failed: no Odoo was started on it`,
    );
    expect(box.calls().some((c) => c.startsWith("odooops agent mark"))).toBe(false);
  });
});
