import { afterAll, beforeAll, beforeEach, vi } from "vitest";
import { main } from "../../../cli/main.ts";
import type { Spawner } from "../../../cli/spawn.ts";
import { seedProject } from "./fixtures.ts";
import { type AdapterHarness, pgHarness } from "./harness.ts";

/** The options every ssh to a host carries (model/plan/host-layout.ts), as the tests expect to see them. */
export const SSH_OPTIONS = ["-o", "StrictHostKeyChecking=accept-new", "-o", "ServerAliveInterval=30"];

export interface AccessCli {
  /** The control plane the CLI talks to; set once the suite's beforeAll has run. */
  readonly h: AdapterHarness;
  /** Replaces ssh: records the argv, resolves to the exit code the test queues (undefined: 0). */
  spawn: ReturnType<typeof vi.fn<Spawner>>;
  odooops(...argv: string[]): Promise<{ code: number; out: string; err: string }>;
}

/**
 * Registers the hooks of a suite that runs `odooops` commands needing access (shell, logs, restore)
 * against a real control plane seeded with acme-erp, ssh replaced by a recording spawner.
 */
export function accessCli(): AccessCli {
  const spawn = vi.fn<Spawner>();
  const saved = { ...process.env };
  let harness: AdapterHarness | undefined;
  beforeAll(async () => {
    harness = await pgHarness();
    await seedProject(harness.as("service"), "acme-erp");
    for (const key of ["SUPABASE_URL", "SUPABASE_KEY", "SUPABASE_SERVICE_ROLE_KEY", "ODOOOPS_ACTOR"])
      delete process.env[key];
    process.env.ODOOOPS_CONTROL_PLANE_URL = harness.db.url;
    process.env.ODOOOPS_PROJECTS_DIR = "examples/projects";
  });
  beforeEach(() => {
    spawn.mockReset();
  });
  afterAll(async () => {
    process.env = saved;
    await harness?.close();
  });
  return {
    get h() {
      if (!harness) throw new Error("accessCli: the control plane is ready only inside tests");
      return harness;
    },
    spawn,
    odooops: async (...argv) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, spawn);
      return { code, out: out.join("\n"), err: err.join("\n") };
    },
  };
}
