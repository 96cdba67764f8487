import { describe, expect, it } from "vitest";
import { captureProgram } from "../../cli/commands/plan/capture.ts";
import { redact } from "../../cli/commands/plan/decode.ts";
import { stagingStackOutputs } from "../../cli/commands/plan/mock-outputs.ts";
import { Platform } from "../../components/platform.ts";
import { warehouseNames } from "../../model/plan/warehouse.ts";
import { catalog, plan, projectYaml, run } from "./support.ts";

const WAREHOUSE_URL = "postgresql://postgres:wh-Secret-0123456789@warehouse.example:5432/postgres";
const YAML = projectYaml("acme", "", "warehouse: { tables: [account_move, project_project] }\n");
const prodPlan = (yaml = YAML) => plan(yaml, catalog("acme", []), "prod");

describe("the warehouse component", () => {
  it("publishes on production and subscribes the tenant's database, after production's init", async () => {
    const graph = await run(prodPlan());
    const [warehouse] = graph.ofType("odooops:warehouse:Warehouse");
    expect(warehouse!.inputs).toMatchObject({
      project: "acme",
      settings: { tables: ["account_move", "project_project"], mask: "default" },
      database: warehouseNames("acme").database,
    });
    const commands = graph.ofType("command:remote:Command").filter((c) => c.parent === warehouse!.urn);
    const publish = commands.find((c) => c.name.endsWith("-publish"))!;
    const subscribe = commands.find((c) => c.name.endsWith("-subscribe"))!;
    expect(publish.inputs.create).toBe(
      "odooops agent warehouse publish acme --tables account_move,project_project --mask default --source-url-env ODOOOPS_DB_URL --password-env ODOOOPS_REPLICATION_PASSWORD --quiet",
    );
    expect(subscribe.options.dependencies).toContain(publish.urn);
    const init = graph.ofType("command:remote:Command").find((c) => c.name.endsWith("-init-command"))!;
    expect(publish.options.dependencies).toContain(init.urn);
    for (const step of [publish, subscribe]) expect(step.secretPaths).toContain("environment");
  });

  it("exists only for a project that declares warehouse tables, and never in the staging stack", async () => {
    expect((await run(prodPlan(projectYaml("acme")))).ofType("odooops:warehouse:Warehouse")).toEqual([]);
    const staging = plan(YAML, catalog("acme", [["release/v1", "b-1"]]), "staging");
    expect((await run(staging)).ofType("odooops:warehouse:Warehouse")).toEqual([]);
  });

  it("keeps the warehouse URL and the replication password out of every input but secret ones", async () => {
    const p = prodPlan();
    const captured = await captureProgram(
      "odooops",
      "prod",
      () => new Platform("odooops", p, { deployKey: "deploy-key", warehouseUrl: WAREHOUSE_URL }),
      { stackOutputs: stagingStackOutputs(p) },
    );
    const subscribe = captured.find((r) => r.name.endsWith("-warehouse-subscribe"))!;
    expect(JSON.stringify(subscribe.inputs)).toContain("wh-Secret-0123456789");
    for (const r of captured)
      expect(JSON.stringify(redact(r.inputs, r.secretPaths)), r.name).not.toContain("wh-Secret");
  });
});
