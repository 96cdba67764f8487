import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { restoreStep } from "../../../cli/commands/rollback/restore-step.ts";
import { buildProgram } from "../../../cli/main.ts";
import {
  agentContainerCommand,
  createFreshDatabaseCommand,
  initDatabaseCommand,
  prepareStagingCommand,
  shellQuote,
} from "../../../model/plan/agent-commands.ts";
import { ADDONS_PATH } from "../../../model/plan/app-image.ts";
import { moduleUpdateCommand } from "../../../model/plan/module-update.ts";

const sh = (script: string) => execFileSync("sh", ["-c", script], { encoding: "utf8" });

/** The words the shell would pass for one line of a generated script. */
const words = (line: string) =>
  execFileSync("sh", ["-c", `eval "set -- $1"; printf '%s\\0' "$@"`, "sh", line], { encoding: "utf8" })
    .split("\0")
    .slice(0, -1);

/** Parses `odooops …` with the real CLI and stops before any action runs; the error commander gives, if any. */
async function cliRejects(argv: string[]): Promise<string | undefined> {
  const errors: string[] = [];
  const program = buildProgram({ io: { out: () => {}, err: (t) => errors.push(t) }, exit: { code: 0 } });
  const parsed = new Error("parsed");
  program.hook("preAction", () => {
    throw parsed;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return "the action ran";
  } catch (error) {
    return error === parsed ? undefined : errors.join("") || String(error);
  }
}

const agentLines = (script: string) => script.split("\n").filter((l) => /^\s*odooops agent /.test(l));

const prepare = (strategy: "fork" | "dump") =>
  prepareStagingCommand({
    filestore: "/mnt/odooops/release--v2",
    strategy,
    targetDb: "acme_release__v2_b_1",
    neutralize: true,
    mask: "default",
    baseUrl: "https://release--v2.acme.staging.odooops.example",
    mailpitHost: "mailpit-release--v2",
  });
const init = initDatabaseCommand({
  filestore: "/mnt/odooops/main",
  database: "acme",
  owner: "odoo_acme_main",
  image: `ghcr.io/acme/acme@sha256:${"a".repeat(64)}`,
  odooVersion: "18.0",
  modules: ["base"],
  demo: false,
  stage: "production",
});

describe("commands run on hosts", () => {
  it("quote every word so the shell passes it through unchanged", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", minLength: 1 }).filter((s) => !s.includes("\0")),
        (word) => {
          expect(sh(`printf %s ${shellQuote(word)}`)).toBe(word);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("are valid shell", () => {
    const scripts = [
      createFreshDatabaseCommand({ database: "acme_release__v2_b_1", owner: "odoo_acme_release__v2" }),
      prepareStagingCommand({
        filestore: "/mnt/odooops/release--v2",
        strategy: "dump",
        targetDb: "acme_release__v2_b_1",
        neutralize: true,
        mask: "default",
        baseUrl: "https://release--v2.acme.staging.odooops.example",
        mailpitHost: "mailpit-release--v2",
      }),
      initDatabaseCommand({
        filestore: "/mnt/odooops/feature--x",
        database: "acme_feature__x",
        owner: "odoo_acme_feature__x",
        image: `ghcr.io/acme/acme@sha256:${"a".repeat(64)}`,
        odooVersion: "18.0",
        modules: ["base", "crm"],
        demo: true,
        stage: "development",
      }),
    ];
    for (const script of scripts) expect(() => execFileSync("sh", ["-n", "-c", script])).not.toThrow();
  });

  it("name secrets only by environment variable", () => {
    const script = createFreshDatabaseCommand({ database: "d", owner: "o" });
    expect(script).toContain('PGPASSWORD="$ODOOOPS_ADMIN_PASSWORD"');
    const prepare = prepareStagingCommand({
      filestore: "/f",
      strategy: "dump",
      targetDb: "d",
      neutralize: true,
      mask: "strict",
      baseUrl: "https://x.example",
      mailpitHost: "m",
    });
    expect(prepare).toContain("--source-url-env ODOOOPS_CLONE_SOURCE_URL");
    expect(prepare).not.toMatch(/postgres(ql)?:\/\//);
  });

  it("call the data agent only with options its CLI accepts", async () => {
    const lines = [
      ...agentLines(prepare("dump")),
      ...agentLines(prepare("fork")),
      // The update's backup line, without its redirection to the update's log.
      ...agentLines(
        moduleUpdateCommand({
          stage: "production",
          slug: "main",
          database: "acme",
          image: `ghcr.io/acme/acme@sha256:${"a".repeat(64)}`,
          dataDir: "/mnt/odooops/main",
          release: "r-1",
        }),
      ).map((l) => l.replace(/ >>"\$log" 2>&1 \|\| fail .*$/, "")),
      ...agentLines(init),
      restoreStep("acme", "acme/20260214T020000Z-scheduled").command,
    ];
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const line of lines) expect(await cliRejects(words(line.trim()).slice(1)), line).toBeUndefined();
    const serve = agentContainerCommand({
      backupCron: "0 2 * * *",
      drillCron: "0 4 1 * *",
      retention: { daily: 7, weekly: 4, monthly: 3 },
    });
    expect(await cliRejects(serve.slice(1))).toBeUndefined();
    expect(await cliRejects(["agent", "mark", "--stage", "prod"])).toMatch(/Allowed choices/);
  });

  it("relabel a fork before anything else touches it, and mark production once Odoo created it", () => {
    const fork = agentLines(prepare("fork")).map((l) => l.trim());
    expect(fork[0]).toBe(
      "odooops agent mark --db-url-env ODOOOPS_DB_URL --stage staging --fork-of-production",
    );
    expect(fork.slice(1).map((l) => l.split(" ")[2])).toEqual(["filestore", "neutralize", "mask"]);
    const dump = agentLines(prepare("dump")).map((l) => l.trim());
    // A dump is masked in flight and neutralized by the clone itself: the agent refuses a staging copy
    // without both.
    expect(dump).toEqual([
      "odooops agent clone --source-url-env ODOOOPS_CLONE_SOURCE_URL --target-db acme_release__v2_b_1 --stage staging --neutralize --base-url https://release--v2.acme.staging.odooops.example --mailpit-host mailpit-release--v2 --mailpit-port 1025 --mask default --filestore-dir /mnt/odooops/release--v2/filestore/acme_release__v2_b_1",
    ]);
    expect(dump.some((l) => l.includes("mark"))).toBe(false);
    expect(agentLines(init).map((l) => l.trim())).toEqual([
      "odooops agent mark --db-url-env ODOOOPS_DB_URL --stage production",
    ]);
  });

  it("run Odoo's own neutralize with the environment's image when it is known, then the platform's steps", () => {
    const image = `ghcr.io/acme/acme@sha256:${"b".repeat(64)}`;
    for (const strategy of ["dump", "fork"] as const) {
      const script = prepareStagingCommand({
        filestore: "/f",
        strategy,
        targetDb: "acme_b1",
        neutralize: true,
        mask: "default",
        baseUrl: "https://x.example",
        mailpitHost: "m",
        odooImage: image,
      });
      expect(() => execFileSync("sh", ["-n", "-c", script])).not.toThrow();
      const lines = script.split("\n").map((l) => l.trim());
      const odoo = lines.findIndex((l) => l.endsWith(` odooops-neutralize ${ADDONS_PATH} acme_b1; fi`));
      // Started as odoo (not through the image's entrypoint, which adds its own --db_* defaults), with a conf
      // naming only the image's addons path: the connection comes from the PG* variables.
      expect(lines[odoo], strategy).toMatch(
        /^if docker image inspect \S+ >\/dev\/null 2>&1; then docker run --rm --network \S+ -e PGHOST .*-e PGPASSWORD .*--entrypoint sh /,
      );
      expect(lines[odoo]).toContain(`${image} -c `);
      expect(lines[odoo]).toContain("exec odoo neutralize -c /tmp/odooops-neutralize.conf");
      const platform = lines.findIndex((l) => l.startsWith("odooops agent neutralize "));
      expect(platform, strategy).toBe(odoo + 1);
      expect(
        lines.filter((l) => l.startsWith("odooops agent neutralize ")),
        strategy,
      ).toHaveLength(1);
    }
    // Without an image, only the platform's steps (as before).
    expect(prepare("fork")).not.toContain("odoo neutralize");
  });

  it("fill a fork's filestore from production's backup after relabelling it, before neutralize and mask", async () => {
    const script = prepare("fork");
    const lines = script.split("\n").map((l) => l.trim());
    const filestore = "/mnt/odooops/release--v2/filestore/acme_release__v2_b_1";
    const order = [
      "odooops agent mark --db-url-env ODOOOPS_DB_URL --stage staging --fork-of-production",
      `odooops agent filestore --source-url-env ODOOOPS_CLONE_SOURCE_URL --replace --filestore-dir ${filestore}`,
      `chown -R 101:101 ${filestore}`,
    ].map((expected) => lines.indexOf(expected));
    const neutralize = lines.findIndex((l) => l.startsWith("odooops agent neutralize "));
    const mask = lines.findIndex((l) => l.startsWith("odooops agent mask "));
    const positions = [...order, neutralize, mask];
    // Each line present (after `set -eu`) and strictly after the one before it.
    expect(
      positions.every((p, i) => p > (positions[i - 1] ?? 0)),
      positions.join(","),
    ).toBe(true);
    // The dump path hands its filestore to Odoo's user the same way.
    expect(prepare("dump")).toContain(`chown -R 101:101 ${filestore}`);
    for (const line of agentLines(script))
      expect(await cliRejects(words(line.trim()).slice(1)), line).toBeUndefined();
    expect(() => execFileSync("sh", ["-n", "-c", script])).not.toThrow();
  });

  it("run the backup and drill schedule only where one is given", () => {
    expect(agentContainerCommand(undefined)).toEqual(["odooops", "agent", "serve"]);
    const prod = agentContainerCommand({
      backupCron: "0 2 * * *",
      drillCron: "0 4 1 * *",
      retention: { daily: 7, weekly: 4, monthly: 3 },
    });
    expect(prod).toEqual(expect.arrayContaining(["--backup-cron", "0 2 * * *", "--keep-daily", "7"]));
  });
});
