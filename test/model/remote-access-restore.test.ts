import { describe, expect, it } from "vitest";
import { catalogSchema } from "../../model/catalog.ts";
import { type EnvironmentPlan, planPlatform } from "../../model/environment-plan.ts";
import { parseProject } from "../../model/loader.ts";
import { backupNameSchema, commandLine, restoreArgv, restoreUnavailable } from "../../model/remote-access.ts";
import type { StackSettings } from "../../model/stack-settings.ts";
import { DIGEST, minimalYaml } from "../support/projects.ts";

const domain = "odooops.example";
const staging: StackSettings = { stages: ["staging", "development"], platformDomain: domain, region: "sgp1" };
const prod: StackSettings = { stages: ["production"], platformDomain: domain, region: "sgp1" };
const SSH = ["ssh", "-o", "StrictHostKeyChecking=accept-new", "-o", "ServerAliveInterval=30"];
const BACKUP = "acme/20261123T020000Z-scheduled";

function environment(settings: StackSettings, stage: string, yaml = minimalYaml("acme")): EnvironmentPlan {
  const { loaded } = parseProject("projects/acme.yaml", yaml);
  const build = (id: string) => ({
    id,
    image: `ghcr.io/acme/acme@${DIGEST}`,
    commit: "abcdef1",
    builtAt: "2026-11-20T00:00:00Z",
  });
  const catalog = catalogSchema.parse({
    projects: {
      acme: {
        branches: [
          { name: "release/v2", build: build("b-42") },
          { name: "feature/ocr", build: build("b-7") },
        ],
      },
    },
  });
  return planPlatform([loaded!], catalog, settings).projects[0]!.environments.find((e) => e.stage === stage)!;
}

describe("odooops restore as argv", () => {
  it("restores production in the agent container with what it holds: no secret, no neutralize or mask", () => {
    const argv = restoreArgv(environment(prod, "production"), BACKUP);
    expect(argv).toEqual([
      ...SSH,
      "root@acme.odooops.example",
      ..."docker exec odooops-agent odooops agent restore --db-url-env ODOOOPS_DB_URL --force-disconnect".split(
        " ",
      ),
      "--backup",
      BACKUP,
    ]);
    for (const flag of ["--stage", "--neutralize", "--mask", "--drop-previous", "--location"])
      expect(argv).not.toContain(flag);
    // Without a backup name: the newest backup of the environment's own database.
    expect(restoreArgv(environment(prod, "production"), undefined).slice(-2)).toEqual([
      "--of-database",
      "acme",
    ]);
  });

  it("marks, neutralizes and masks a staging restore with the environment's profile, never left usable unmasked", () => {
    const env = environment(staging, "staging");
    const line = commandLine(restoreArgv(env, BACKUP));
    expect(line).toMatch(/^ssh .* root@release--v2\.acme\.staging\.odooops\.example docker exec /);
    expect(line).toContain(
      `odooops-agent odooops agent restore --db-url-env ODOOOPS_DB_URL --force-disconnect --backup ${BACKUP} --stage staging --neutralize`,
    );
    expect(line).toContain(`--base-url https://${env.hostnames[0]} --mailpit-host mailpit-${env.slug}`);
    expect(line).toMatch(/--mailpit-port 1025 --mask default$/);
    const strict = environment(
      staging,
      "staging",
      `${minimalYaml("acme")}\n`.replace(
        "environments:\n",
        "environments:\n  staging: { clone: { mask: strict } }\n",
      ),
    );
    expect(restoreArgv(strict, BACKUP).slice(-2)).toEqual(["--mask", "strict"]);
  });

  it("marks, neutralizes and masks a preview restore with the default profile", () => {
    const env = environment(staging, "development");
    const argv = restoreArgv(env, undefined);
    expect(argv.slice(-13)).toEqual([
      "--of-database",
      "acme_feature__ocr",
      "--stage",
      "development",
      "--neutralize",
      "--base-url",
      `https://${env.hostnames[0]}`,
      "--mailpit-host",
      `mailpit-${env.slug}`,
      "--mailpit-port",
      "1025",
      "--mask",
      "default",
    ]);
    expect(argv).toContain("--force-disconnect");
    expect(argv).toContain("odooops-agent");
  });

  it("runs only where the agent container holds the database URL, backup location and filestore", () => {
    expect(restoreUnavailable("production")).toBeUndefined();
    for (const stage of ["staging", "development"] as const)
      expect(restoreUnavailable(stage)).toContain(
        `the ${stage} agent container holds no ODOOOPS_DB_URL, ODOOOPS_BACKUP_URL, ODOOOPS_FILESTORE_DIR`,
      );
  });

  it("accepts backup names as the agent writes them, nothing a shell could read otherwise", () => {
    expect(backupNameSchema.safeParse(BACKUP).success).toBe(true);
    for (const bad of ["latest", "acme/$(reboot)", "../x/20261123T020000Z-scheduled", "acme/2026-11-23"])
      expect(backupNameSchema.safeParse(bad).success, bad).toBe(false);
  });
});
