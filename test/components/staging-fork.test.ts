import { describe, expect, it } from "vitest";
import { catalog, plan, projectYaml, run } from "./support.ts";

const fork = (id: string) =>
  plan(
    projectYaml("acme", "  staging: { clone: { strategy: fork }, sshSources: [192.0.2.0/24] }\n"),
    catalog("acme", [["release/v2", id]]),
    "staging",
  );

describe("a fork staging build", () => {
  it("fills its filestore from production's backups with the read-only key, as secrets", async () => {
    const graph = await run(fork("b-41"));
    const prepare = graph.resources.find((r) => r.name.endsWith("-clone-prepare"))!;
    expect(prepare.secretPaths).toContain("environment");
    expect(prepare.inputs.environment).toMatchObject({
      ODOOOPS_CLONE_SOURCE_URL: expect.stringMatching(
        /^s3:\/\/odooops-acme-backups-[0-9a-f]{6}\/acme\/production\/$/,
      ),
      AWS_ENDPOINT_URL: expect.stringMatching(/^https:\/\//),
      AWS_ACCESS_KEY_ID: expect.stringMatching(/^MOCKREADER/),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
      // The restored cluster's connection, for mark, neutralize and mask.
      ODOOOPS_DB_URL: expect.stringMatching(/^postgresql:\/\//),
    });
    const script = String(prepare.inputs.create);
    expect(script).toMatch(
      /^odooops agent filestore --source-url-env ODOOOPS_CLONE_SOURCE_URL --replace --filestore-dir \/mnt\/odooops\/release--v2\/filestore\/acme$/m,
    );
  });
});
