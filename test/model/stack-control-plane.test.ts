import { describe, expect, it } from "vitest";
import {
  agentControlPlaneEnv,
  agentRecordsEvidence,
  controlPlaneUrlSchema,
} from "../../model/agent-control-plane.ts";
import { formatProblem } from "../../model/problem.ts";
import { readStackFile } from "../../model/stack-file.ts";
import { stackSettingsFromConfig } from "../../model/stack-settings.ts";

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
      "/stacks/Pulumi.prod.yaml:6:3 odooops:controlPlaneKey: must be a Pulumi secret, never plain text in the stack file (it ends up in Git): pulumi config set --secret odooops:controlPlaneKey <service-role key>",
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
    expect(agentControlPlaneEnv("https://x.supabase.co", "k")).toEqual([
      "SUPABASE_URL=https://x.supabase.co",
      "SUPABASE_SERVICE_ROLE_KEY=k",
    ]);
    expect(controlPlaneUrlSchema.safeParse("https://x.supabase.co").success).toBe(true);
  });
});
