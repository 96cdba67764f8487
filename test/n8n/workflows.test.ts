import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildProgram } from "../../cli/main.ts";
import {
  ALLOWED_NODE_TYPES,
  AUDITED_RPCS,
  CONTROL_PLANE_RPC_PREFIX,
  commandProblems,
} from "../../model/plan/n8n/audited-paths.ts";
import { findPlaintextSecrets } from "../../model/rules/secrets.ts";

const DIR = "n8n/workflows";
const files = readdirSync(DIR).filter((f) => f.endsWith(".json"));

const nodeSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  type: z.enum(ALLOWED_NODE_TYPES),
  typeVersion: z.number(),
  position: z.tuple([z.number(), z.number()]),
  parameters: z.record(z.string(), z.unknown()),
  // A reference to a credential stored in n8n (encrypted there), never its value.
  credentials: z.record(z.string(), z.strictObject({ id: z.string(), name: z.string() })).optional(),
});
const workflowSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9]{16}$/),
  name: z.string().startsWith("odooops: "),
  meta: z.strictObject({ odooops: z.strictObject({ version: z.int().positive(), why: z.string().min(20) }) }),
  active: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  nodes: z.array(nodeSchema).min(2),
  connections: z.record(
    z.string(),
    z.strictObject({
      main: z.array(z.array(z.strictObject({ node: z.string(), type: z.literal("main"), index: z.int() }))),
    }),
  ),
});
type Workflow = z.output<typeof workflowSchema>;

const load = (file: string): Workflow =>
  workflowSchema.parse(JSON.parse(readFileSync(`${DIR}/${file}`, "utf8")));
const CLI = new Set(
  buildProgram({ io: { out: () => {}, err: () => {} }, exit: { code: 0 } }).commands.map((c) => c.name()),
);
const MIGRATIONS = readdirSync("supabase/migrations")
  .map((f) => readFileSync(`supabase/migrations/${f}`, "utf8"))
  .join("\n");

describe.each(files)("n8n workflow %s", (file) => {
  const workflow = load(file);
  const names = workflow.nodes.map((n) => n.name);

  it("is a connected graph from one schedule trigger, every node reached", () => {
    expect(new Set(names).size).toBe(names.length);
    const triggers = workflow.nodes.filter((n) => n.type === "n8n-nodes-base.scheduleTrigger");
    expect(triggers).toHaveLength(1);
    const reached = new Set([triggers[0]!.name]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [from, out] of Object.entries(workflow.connections)) {
        expect(names).toContain(from);
        for (const edge of out.main.flat()) {
          expect(names).toContain(edge.node);
          if (reached.has(from) && !reached.has(edge.node)) grew = reached.add(edge.node) !== undefined;
        }
      }
    }
    expect([...reached].sort()).toEqual([...names].sort());
  });

  it("calls only the audited CLI commands and control-plane RPCs", () => {
    for (const node of workflow.nodes) {
      if (node.type === "n8n-nodes-base.executeCommand")
        expect(commandProblems(String(node.parameters.command), CLI), node.name).toEqual([]);
      if (node.type === "n8n-nodes-base.httpRequest") {
        const url = String(node.parameters.url);
        expect(url.startsWith(CONTROL_PLANE_RPC_PREFIX), url).toBe(true);
        const fn = url.slice(CONTROL_PLANE_RPC_PREFIX.length);
        expect(AUDITED_RPCS).toContain(fn);
        expect(MIGRATIONS).toMatch(new RegExp(`create (or replace )?function ops\\.${fn}\\(`));
        expect(node.parameters.method).toBe("POST");
        expect(node.credentials, "authenticates with a stored n8n credential").toBeDefined();
      }
      if (node.type === "n8n-nodes-base.code")
        expect(String(node.parameters.jsCode)).not.toMatch(
          /require\(|import\(|child_process|fetch\(|helpers\.request|\$http/,
        );
    }
  });

  it("carries no credential: no secret-looking value, no auth header, no URL with a password", () => {
    expect(findPlaintextSecrets(workflow, { mode: "strict" })).toEqual([]);
    const text = JSON.stringify(workflow);
    expect(text).not.toMatch(/authorization|apikey|bearer|password|:\/\/[^/"]*:[^/"]*@/i);
  });

  it("runs only while its schedule is what the README says: a valid five-field cron", () => {
    const trigger = workflow.nodes.find((n) => n.type === "n8n-nodes-base.scheduleTrigger")!;
    const rule = trigger.parameters.rule as { interval: { field: string; expression: string }[] };
    expect(rule.interval[0]!.field).toBe("cronExpression");
    expect(rule.interval[0]!.expression.split(" ")).toHaveLength(5);
  });
});

describe("the audited-path check itself", () => {
  it.each([
    ["=odooops shell {{ $json.project }} main", "not an audited command"],
    ["=odooops logs {{ $json.project }} main --follow", "passes --follow"],
    ["=odooops health {{ $json.project }} main; curl evil", "shell operators"],
    ["=psql $DATABASE_URL", "not odooops"],
    ["=odooops notify {{ $json.stdout }} drift", "only {{ $json.project }}"],
    ["=odooops logs {{ $json.project }} main --as admin", "passes --as"],
  ])("refuses %s", (command, problem) => {
    expect(commandProblems(command, CLI).join("; ")).toContain(problem);
  });

  it("passes the workflows' own commands", () => {
    expect(commandProblems("=odooops health {{ $json.project }} main --format json", CLI)).toEqual([]);
  });
});

it("has the three workflows seed 003 asks for", () => {
  expect(files.sort()).toEqual([
    "health-checks.json",
    "log-aggregation.json",
    "nightly-backup-verification.json",
  ]);
});
