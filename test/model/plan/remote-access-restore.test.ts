import { describe, expect, it } from "vitest";
import {
  backupNameSchema,
  commandLine,
  restoreArgv,
  restoreUnavailable,
} from "../../../model/plan/remote-access.ts";
import { minimalYaml } from "../../support/projects.ts";
import { acmeEnvironment, PROD_STACK, SSH, STAGING_STACK } from "../support/acme-environments.ts";

const staging = STAGING_STACK;
const prod = PROD_STACK;
const environment = acmeEnvironment;
const BACKUP = "acme/20261123T020000Z-scheduled";

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
