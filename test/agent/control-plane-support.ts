import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createPgControlPlane } from "../../controlplane/pg-adapter.ts";
import { type ControlPlaneDatabase, createControlPlaneDatabase } from "../controlplane/support/database.ts";
import { BRANCHES, seedProject } from "../controlplane/support/fixtures.ts";
import {
  backupArgv,
  envVar,
  type OdooDb,
  odooDatabase,
  type S3Server,
  s3Server,
  tempDir,
} from "./support.ts";

export const PROJECT = "acme-erp";

/** Everything that would point the agent at a control plane, project or branch the test did not choose. */
const ENV_KEYS = [
  "ODOOOPS_CONTROL_PLANE_URL",
  "SUPABASE_URL",
  "SUPABASE_KEY",
  "SUPABASE_SERVICE_ROLE_KEY",
  "SUPABASE_ACCESS_TOKEN",
  "ODOOOPS_ACTOR",
  "ODOOOPS_AGENT_KEY",
  "ODOOOPS_PROJECT",
  "ODOOOPS_BRANCH",
  "ODOOOPS_BACKUP_URL",
  "ODOOOPS_FILESTORE_DIR",
];

export interface AgentWithControlPlane {
  s3: S3Server;
  /** The control plane's database, migrated, with acme-erp seeded (members, one environment per stage). */
  cp: ControlPlaneDatabase;
  prod: OdooDb;
  /** Name of the variable holding production's database URL. */
  prodEnv: string;
  filestore: string;
  /** `odooops agent backup` argv of production to the bucket, JSON output, then `extra`. */
  backupArgs(...extra: string[]): string[];
  /** The environment a production host's agent has: control plane (service role), project, branch. */
  onProductionHost(): void;
  close(): Promise<void>;
}

export async function agentWithControlPlane(prefix: string): Promise<AgentWithControlPlane> {
  for (const key of ENV_KEYS) delete process.env[key];
  const [s3, cp] = await Promise.all([s3Server(), createControlPlaneDatabase(`cp_${prefix}`)]);
  const files = tempDir(`cp-${prefix}`);
  const prod = await odooDatabase(prefix, { partners: 20, filestoreRoot: files.path, attachments: 2 });
  const service = createPgControlPlane({ connectionString: cp.url, maxConnections: 1 });
  try {
    await seedProject(service, PROJECT);
  } finally {
    await service.close();
  }
  const prodEnv = envVar(prod.url, prefix.toUpperCase());
  const filestore = join(files.path, prod.name);
  return {
    s3,
    cp,
    prod,
    prodEnv,
    filestore,
    backupArgs: (...extra) => backupArgv(prodEnv, s3.location(), filestore, ...extra),
    onProductionHost: () => {
      process.env.ODOOOPS_CONTROL_PLANE_URL = cp.url;
      process.env.ODOOOPS_PROJECT = PROJECT;
      process.env.ODOOOPS_BRANCH = BRANCHES.production;
      delete process.env.ODOOOPS_ACTOR;
    },
    close: async () => {
      for (const key of ENV_KEYS) delete process.env[key];
      await Promise.all([prod.drop(), cp.drop(), s3.close()]);
      files.remove();
    },
  };
}

/** A pg_dump that fails the way an unreachable server makes it fail. */
export function failingPgDump() {
  const bin = tempDir("failing-pg");
  writeFileSync(
    join(bin.path, "pg_dump"),
    "#!/bin/sh\necho 'pg_dump: error: simulated outage' >&2\nexit 1\n",
  );
  chmodSync(join(bin.path, "pg_dump"), 0o755);
  return bin;
}
