import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAgentEnvFile } from "../../agent/env-file.ts";
import { AgentInputError } from "../../agent/errors.ts";
import { listBackups } from "../../agent/storage/backups.ts";
import { openStore } from "../../agent/storage/open.ts";
import { AGENT_ENV_FILE_VAR, renderEnvFile } from "../../model/plan/agent-env-file.ts";
import { type OdooDb, odooDatabase, tempDir } from "./support.ts";

/**
 * Production's resident agent holds its credentials in a file its container's environment names
 * (model/plan/agent-env-file.ts); every `odooops agent …` process reads it, as `docker exec` starts one.
 */
let db: OdooDb;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
  db = await odooDatabase("envfile", { partners: 20 });
  dir = tempDir("envfile");
});
afterAll(async () => {
  await db?.drop();
  dir?.remove();
});

function fileWith(name: string, lines: string[]): string {
  const path = join(dir.path, name);
  writeFileSync(path, renderEnvFile(lines), { mode: 0o400 });
  return path;
}

describe("loading the agent's environment file", () => {
  it("fills what the process lacks, and a variable the caller passed wins", async () => {
    const env: NodeJS.ProcessEnv = {
      [AGENT_ENV_FILE_VAR]: fileWith("fill.env", [
        "ODOOOPS_DB_URL=from-file",
        "ODOOOPS_BACKUP_URL=s3://b/p/",
      ]),
      ODOOOPS_DB_URL: "from-exec",
    };
    await loadAgentEnvFile(env);
    expect(env.ODOOOPS_DB_URL).toBe("from-exec");
    expect(env.ODOOOPS_BACKUP_URL).toBe("s3://b/p/");
  });

  it("does nothing when no file is named", async () => {
    const env: NodeJS.ProcessEnv = { PATH: "/bin" };
    await loadAgentEnvFile(env);
    expect(env).toEqual({ PATH: "/bin" });
  });

  it("says which file it cannot read, and which line is wrong, never its values", async () => {
    const missing = join(dir.path, "absent.env");
    await expect(loadAgentEnvFile({ [AGENT_ENV_FILE_VAR]: missing })).rejects.toThrow(
      new AgentInputError(`${AGENT_ENV_FILE_VAR} names ${missing}, which cannot be read (ENOENT)`),
    );
    const broken = join(dir.path, "broken.env");
    writeFileSync(broken, "ODOOOPS_DB_URL=postgresql://u:pw@h/d\npostgresql://u:leaked@h/d\n");
    const error = await loadAgentEnvFile({ [AGENT_ENV_FILE_VAR]: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentInputError);
    expect((error as Error).message).toBe(`${broken}:2:1 expected NAME=value`);
  });
});

describe("an agent process started with only the file's name in its environment", () => {
  const run = (env: NodeJS.ProcessEnv, ...argv: string[]) =>
    promisify(execFile)(process.execPath, ["bin/odooops.js", "agent", ...argv], { env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  // What the container's environment holds (components/data-agent.ts): no URL, no key.
  const containerEnv = (file: string): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    TMPDIR: process.env.TMPDIR,
    ODOOOPS_PROJECT: "acme",
    ODOOOPS_STAGE: "production",
    [AGENT_ENV_FILE_VAR]: file,
  });

  it("backs up production with the database URL and the location from the file", async () => {
    const backups = join(dir.path, "backups");
    const file = fileWith("production.env", [`ODOOOPS_DB_URL=${db.url}`, `ODOOOPS_BACKUP_URL=${backups}`]);
    const backup = await run(
      containerEnv(file),
      "backup",
      "--db-url-env",
      "ODOOOPS_DB_URL",
      "--json",
      "--quiet",
    );
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    const stored = await listBackups(await openStore(backups));
    expect(stored.map((b) => b.complete)).toEqual([true]);
  });

  it("refuses to start a command when the file named is missing", async () => {
    const missing = join(dir.path, "gone.env");
    const backup = await run(containerEnv(missing), "backup", "--db-url-env", "ODOOOPS_DB_URL");
    expect(backup.code).toBe(2);
    expect(backup.stderr).toBe(
      `odooops agent backup: ${AGENT_ENV_FILE_VAR} names ${missing}, which cannot be read (ENOENT)\n`,
    );
  });
});
