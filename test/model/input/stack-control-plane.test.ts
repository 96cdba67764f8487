import { describe, expect, it } from "vitest";
import {
  agentControlPlaneEnv,
  agentRecordsEvidence,
  controlPlaneUrlSchema,
  parseAgentKeys,
  storeAgentKeyCommand,
} from "../../../model/governance/agent-control-plane.ts";
import { readStackFile } from "../../../model/input/stack-file.ts";
import { stackSettingsFromConfig } from "../../../model/input/stack-settings.ts";
import { formatProblem } from "../../../model/problem.ts";

/** The stack config production's agent records evidence with: a plain URL and a secret key. */
const KEY = "eyJhbGciOiJIUzI1NiJ9.service-role-key-value-1234567890";
const BASE = [
  "config:",
  "  odooops:stages: [production]",
  "  odooops:platformDomain: odooops.example",
  "  odooops:region: sgp1",
];
const stackFile = (...lines: string[]) => {
  const text = `${[...BASE, ...lines].join("\n")}\n`;
  return readStackFile("/stacks", "prod", () => text);
};
const messages = (read: ReturnType<typeof stackFile>) => read.problems.map(formatProblem);

describe("control plane stack config", () => {
  it("takes an https URL and a Pulumi secret key; the key never becomes a setting", () => {
    const read = stackFile(
      "  odooops:controlPlaneUrl: https://abcdefghijklmnop.supabase.co/",
      "  odooops:controlPlaneKey:",
      "    secure: v1:AAAABBBBCCCC",
    );
    expect(read.problems).toEqual([]);
    expect(read.settings?.controlPlaneUrl).toBe("https://abcdefghijklmnop.supabase.co");
    expect(JSON.stringify(read.settings)).not.toContain("controlPlaneKey");
    // As the Pulumi engine hands config to the program: the key decrypted, a plain string.
    const program = stackSettingsFromConfig({
      "odooops:stages": '["production"]',
      "odooops:platformDomain": "odooops.example",
      "odooops:region": "sgp1",
      "odooops:controlPlaneUrl": "https://abcdefghijklmnop.supabase.co",
      "odooops:controlPlaneKey": KEY,
    });
    expect(program.success).toBe(true);
    expect(JSON.stringify(program.data)).not.toContain(KEY);
  });

  it("is optional: without it nothing changes", () => {
    const read = stackFile();
    expect(read.problems).toEqual([]);
    expect(read.settings?.controlPlaneUrl).toBeUndefined();
  });

  it.each([
    ["http://abcdefghijklmnop.supabase.co", /must be the https:\/\/ URL of the Supabase project/],
    ["postgresql://postgres@db.example:5432/postgres", /must be the https:\/\/ URL/],
    ["https://abcdefghijklmnop.supabase.co/rest/v1", /no path, query or credentials/],
    ["https://user:pw@abcdefghijklmnop.supabase.co", /no path, query or credentials/],
  ])("refuses %s as the URL", (url, message) => {
    const read = stackFile(
      `  odooops:controlPlaneUrl: ${url}`,
      "  odooops:controlPlaneKey: { secure: v1:AAAA }",
    );
    expect(read.settings).toBeUndefined();
    expect(messages(read)).toEqual([
      expect.stringMatching(/^\/stacks\/Pulumi\.prod\.yaml:5:\d+ odooops:controlPlaneUrl: /),
    ]);
    expect(messages(read)[0]).toMatch(message);
    expect(messages(read)[0]).not.toContain("pw");
  });

  it("refuses a key in plain text without repeating it, pointing at its line", () => {
    const read = stackFile(
      "  odooops:controlPlaneUrl: https://abcdefghijklmnop.supabase.co",
      `  odooops:controlPlaneKey: ${KEY}`,
    );
    expect(read.settings).toBeUndefined();
    expect(messages(read)).toEqual([
      "/stacks/Pulumi.prod.yaml:6:3 odooops:controlPlaneKey: must be a Pulumi secret, never plain text in the stack file (it ends up in Git): pulumi config set --secret odooops:controlPlaneKey <the project's anon key>",
    ]);
    expect(JSON.stringify(read)).not.toContain(KEY);
  });

  it("wants both or neither", () => {
    expect(messages(stackFile("  odooops:controlPlaneUrl: https://abcdefghijklmnop.supabase.co"))).toEqual([
      expect.stringMatching(
        /Pulumi\.prod\.yaml:5:3 odooops:controlPlaneUrl: is set but odooops:controlPlaneKey is not: pulumi config set --secret/,
      ),
    ]);
    expect(messages(stackFile("  odooops:controlPlaneKey: { secure: v1:AAAA }"))).toEqual([
      expect.stringMatching(
        /Pulumi\.prod\.yaml:5:3 odooops:controlPlaneKey: is set but odooops:controlPlaneUrl is not/,
      ),
    ]);
  });

  it("goes to production's agent only, as the variables the evidence sink reads", () => {
    expect(agentRecordsEvidence("production")).toBe(true);
    expect(agentRecordsEvidence("staging")).toBe(false);
    expect(agentRecordsEvidence("development")).toBe(false);
    expect(agentControlPlaneEnv("https://x.supabase.co", "anon", "odooops_ak_x")).toEqual([
      "SUPABASE_URL=https://x.supabase.co",
      "SUPABASE_KEY=anon",
      "ODOOOPS_AGENT_KEY=odooops_ak_x",
    ]);
    expect(controlPlaneUrlSchema.safeParse("https://x.supabase.co").success).toBe(true);
  });

  it("reads each project's agent key, refusing anything else without quoting it", () => {
    const key = `odooops_ak_${"A".repeat(43)}`;
    expect(parseAgentKeys({ acme: key })).toEqual({ keys: { acme: key }, problems: [] });
    expect(parseAgentKeys(undefined)).toEqual({ keys: {}, problems: [] });
    const wrong = parseAgentKeys({ acme: `odooops_bk_${"A".repeat(43)}`, "Not A Name": key });
    expect(wrong.keys).toEqual({});
    expect(wrong.problems).toEqual([
      `odooops:agentKeys.acme is not an agent key: create one with odooops build-key create acme --stage production --agent, then ${storeAgentKeyCommand("acme")}`,
      "odooops:agentKeys.Not A Name: not a project name",
    ]);
    expect(JSON.stringify(wrong)).not.toContain("A".repeat(43));
    expect(parseAgentKeys("odooops_ak_x").problems).toEqual([
      "odooops:agentKeys must map project names to agent keys",
    ]);
  });

  it("refuses agent keys in plain text in the stack file", () => {
    const read = stackFile(`  odooops:agentKeys: { acme: odooops_ak_${"B".repeat(43)} }`);
    expect(messages(read)).toEqual([
      expect.stringMatching(/Pulumi\.prod\.yaml:5:3 odooops:agentKeys: must be a Pulumi secret/),
    ]);
    expect(JSON.stringify(read)).not.toContain("B".repeat(43));
    expect(stackFile("  odooops:agentKeys: { acme: { secure: v1:AAAA } }").problems).toEqual([]);
    expect(stackFile("  odooops:agentKeys: { secure: v1:AAAA }").problems).toEqual([]);
  });
});
