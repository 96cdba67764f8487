import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "../../agent/pg/connection.ts";
import {
  AGENT_ENV_FILE_VAR,
  type AgentEnvFileUpload,
  agentEnvFileUpload,
} from "../../model/plan/agent-env-file.ts";
import {
  filestoreDigest,
  type ProductionWithBackups,
  productionWithBackups,
} from "../agent/backup-support.ts";
import { maskedDefault } from "../agent/clone-support.ts";
import { databaseExists, query, tableFingerprints } from "../agent/support.ts";
import { agentImageUnderTest, docker, dockerOk, requireDocker } from "./docker.ts";
import { uploadInto } from "./host/local-engine.ts";

/**
 * The released agent image on a real Docker engine: the agent's commands run INSIDE a container of it, on
 * the host network, against the run's PostgreSQL 15 and S3-compatible storage, the way a host runs them
 * (cloud-init's odooops-exec: `docker exec -i -e NAME … odooops-agent odooops …`, values by name only).
 * The container holds what production's resident agent holds (the database URL, the storage keys) the
 * way components/data-agent.ts gives it: in its uploaded environment file, not its environment.
 */
const ODOO_UID = 101; // the image's user, which owns filestores on a host (model/host-layout.ts)
const canary = `pw${randomBytes(12).toString("hex")}`;
const container = `odooops-agent-test-${process.pid}`;
let image = "";
let h: ProductionWithBackups;
/** What the agent gets per command, and never as container configuration. */
const secrets: Record<string, string> = {};
/** What the resident agent holds in its environment file. */
const resident: Record<string, string> = {};
let envFile: AgentEnvFileUpload;

/** The run's server URL for `database`, with a password: trust authentication ignores it, docker must not show it. */
const withPassword = (url: string) =>
  url.replace("postgresql://postgres@", `postgresql://postgres:${canary}@`);

async function inAgent(...argv: string[]) {
  const env = { ...process.env, ...secrets };
  const names = Object.keys(secrets).flatMap((name) => ["-e", name]);
  return docker(["exec", "-i", ...names, container, "odooops", "agent", ...argv], env);
}

beforeAll(async () => {
  await requireDocker();
  image = await agentImageUnderTest();
  h = await productionWithBackups("image");
  // On a host the filestores belong to Odoo's uid, which is the agent's.
  execFileSync("chown", ["-R", `${ODOO_UID}:${ODOO_UID}`, h.files.path]);
  chmodSync(h.files.path, 0o755);
  secrets.ODOOOPS_PROD_URL = withPassword(h.prod.url);
  resident.ODOOOPS_DB_URL = withPassword(h.prod.url);
  for (const name of ["ODOOOPS_S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"])
    resident[name] = process.env[name]!;
  envFile = agentEnvFileUpload(Object.entries(resident).map(([name, value]) => `${name}=${value}`));
  await docker(["rm", "-f", container]);
  // As components/data-agent.ts starts it and the docker provider creates it (create, upload, start):
  // resident mode, the filestore volume, the environment file, nothing secret in its environment.
  await dockerOk([
    ...["create", "--name", container, "--network", "host", "--restart", "unless-stopped"],
    ...["-v", `${h.files.path}:${h.files.path}`],
    ...["-e", "ODOOOPS_PROJECT=acme-erp", "-e", "ODOOOPS_STAGE=staging"],
    ...["-e", `${AGENT_ENV_FILE_VAR}=${envFile.file}`],
    image,
  ]);
  await uploadInto(container, envFile, join(tmpdir(), `agent-env-${process.pid}`));
  await dockerOk(["start", container]);
}, 1_200_000);

afterAll(async () => {
  await docker(["rm", "-f", container]);
  await h?.close();
});

describe("the agent image on a real Docker engine", () => {
  it("runs as Odoo's uid with a healthcheck, and its pg_dump is the server's major version", async () => {
    const [config] = JSON.parse(await dockerOk(["image", "inspect", image])) as {
      Config: { User: string; Healthcheck?: { Test: string[] } };
    }[];
    expect(config!.Config.User).toBe(`${ODOO_UID}:${ODOO_UID}`);
    // Resident, not restarted by its policy: an agent that exits on its own takes every docker exec with it.
    const state = await dockerOk(["inspect", "--format", "{{.State.Status}} {{.RestartCount}}", container]);
    expect(state.trim()).toBe("running 0");
    const health = config!.Config.Healthcheck!.Test;
    expect(health[0]).toBe("CMD");
    const probe = await docker(["exec", container, ...health.slice(1)]);
    expect(probe.code, probe.stderr).toBe(0);
    const version = await dockerOk(["exec", container, "sh", "-c", '"$ODOOOPS_PG_BIN/pg_dump" --version']);
    // SHOW names its column after the setting: an alias needs current_setting().
    const [server] = await query<{ v: string }>(
      h.server,
      "select current_setting('server_version_num') as v",
    );
    expect(version).toMatch(/^pg_dump \(PostgreSQL\) \d+\.\d+/);
    expect(Number(/\) (\d+)\./.exec(version)![1])).toBe(Math.floor(Number(server!.v) / 10000));
  });

  it("has its environment file, which the agent's uid reads and cannot change", async () => {
    const mode = await dockerOk(["exec", container, "stat", "-c", "%a %U", envFile.file]);
    expect(mode.trim()).toBe("444 root");
    const write = await docker(["exec", container, "sh", "-c", `echo X=1 >> ${envFile.file}`]);
    expect(write.code).not.toBe(0);
  });

  it("backs up production to S3 with the URL and keys of its environment file, and restores it identical", async () => {
    // Nothing passed with the command: the database URL and the storage keys are the file's.
    const backup = await docker([
      ...["exec", "-i", container, "odooops", "agent"],
      ...["backup", "--db-url-env", "ODOOOPS_DB_URL", "--location", h.s3.location()],
      ...["--filestore-dir", h.filestore, "--json", "--quiet"],
    ]);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    const { record } = JSON.parse(backup.stdout) as { record: { name: string } };
    const restored = `${h.prod.name}_restored`;
    h.cleanup.push(restored);
    secrets.ODOOOPS_RESTORED_URL = withPassword(withDatabase(h.prod.url, restored));
    const restoredFiles = join(h.files.path, restored);
    mkdirSync(restoredFiles);
    chownSync(restoredFiles, ODOO_UID, ODOO_UID);
    const restore = await inAgent(
      ...["restore", "--db-url-env", "ODOOOPS_RESTORED_URL", "--location", h.s3.location()],
      ...["--backup", record.name, "--filestore-dir", restoredFiles, "--quiet"],
    );
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    expect(await tableFingerprints(withDatabase(h.prod.url, restored))).toEqual(
      await tableFingerprints(h.prod.url),
    );
    expect(await filestoreDigest(restoredFiles)).toEqual(await filestoreDigest(h.filestore));
  });

  it("drills the newest backup and reports it passed", async () => {
    const drill = await inAgent(
      ...["drill", "--db-url-env", "ODOOOPS_PROD_URL", "--location", h.s3.location()],
      ...["--project", "acme-erp", "--json", "--quiet"],
    );
    expect(drill.stderr).toBe("");
    expect(drill.code).toBe(0);
    expect(JSON.parse(drill.stdout).evidence).toMatchObject({ kind: "restore-drill", result: "passed" });
  });

  it("clones production into a masked, neutralized staging database", async () => {
    const target = `${h.prod.name}_staging`;
    h.cleanup.push(target);
    const clone = await inAgent(
      ...["clone", "--source-url-env", "ODOOOPS_PROD_URL", "--target-db", target],
      ...maskedDefault,
      ...["--json", "--quiet"],
    );
    expect(clone.stderr).toBe("");
    expect(clone.code).toBe(0);
    expect(JSON.parse(clone.stdout)).toMatchObject({ target });
    expect(JSON.parse(clone.stdout).scan.columnsProvenMasked).toBeGreaterThan(20);
    expect(await databaseExists(h.server, target)).toBe(true);
    const [prod] = await query<{ e: string }>(
      h.prod.url,
      "select string_agg(email, ',' order by id) as e from res_partner",
    );
    const [copy] = await query<{ e: string }>(
      withDatabase(h.prod.url, target),
      "select string_agg(email, ',' order by id) as e from res_partner",
    );
    expect(copy!.e).not.toBe(prod!.e);
  });

  it("keeps every secret, its environment file's and the commands', out of docker inspect", async () => {
    const inspect = await dockerOk(["inspect", container]);
    expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(resident).length).toBeGreaterThanOrEqual(5);
    for (const [name, value] of [...Object.entries(secrets), ...Object.entries(resident)]) {
      expect(inspect, name).not.toContain(name);
      if (name !== "AWS_REGION" && name !== "ODOOOPS_S3_ENDPOINT") expect(inspect, name).not.toContain(value);
    }
    expect(inspect).not.toContain(canary);
  });
});
