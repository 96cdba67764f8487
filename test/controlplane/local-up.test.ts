import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { listMigrations } from "../../controlplane/migrations.ts";
import { runCli } from "../support/cli.ts";

/** `odooops control-plane up|status|down` on a real cluster of its own, as a developer runs it. */
describe("odooops control-plane up | status | down", () => {
  const parent = mkdtempSync(join(tmpdir(), "odooops-cp-"));
  chmodSync(parent, 0o755); // as root the server runs as postgres, which must reach the directory
  // Relative, as the default .odooops/control-plane is: the server must not resolve it from its data dir.
  const dir = relative(process.cwd(), join(parent, "control-plane"));
  afterAll(async () => {
    await runCli("control-plane", "down", "--dir", dir);
    rmSync(parent, { recursive: true, force: true });
  });

  const exported = (stdout: string) => /^export ODOOOPS_CONTROL_PLANE_URL=(\S+)$/m.exec(stdout)?.[1];

  it("creates, migrates and seeds once, keeps its data across down and up, and says where it is", async () => {
    expect((await runCli("control-plane", "status", "--dir", dir)).stdout).toContain(
      "no local control plane",
    );

    const first = await runCli("control-plane", "up", "--dir", dir);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toContain(`${listMigrations().length} migration(s) applied, example data loaded`);
    const url = exported(first.stdout);
    expect(url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/odooops$/);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const projects = await client.query("select name from ops.projects order by name");
    expect(projects.rows.map((r) => r.name)).toEqual(["acme-erp", "hello"]);
    await client.end();

    const again = await runCli("control-plane", "up", "--dir", dir);
    expect(again.stdout).toContain("already running");
    expect(again.stdout).toContain("0 migration(s) applied\n");
    expect(exported(again.stdout)).toBe(url);

    expect((await runCli("control-plane", "down", "--dir", dir)).stdout).toContain("stopped");
    expect((await runCli("control-plane", "status", "--dir", dir)).stdout).toContain("is stopped");
    expect((await runCli("control-plane", "down", "--dir", dir)).stdout).toContain("not running");

    const restarted = await runCli("control-plane", "up", "--dir", dir);
    expect(restarted.stdout).toContain("started");
    expect(restarted.stdout).not.toContain("example data loaded"); // never reseeded: the data is kept
    expect(exported(restarted.stdout)).toBe(url);
    expect((await runCli("control-plane", "status", "--dir", dir)).stdout).toContain(`running at ${url}`);
  });
});
