import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../agent/support.ts";
import { runCli } from "../../../support/cli.ts";

/** The app build's odooops/security check on pip-audit's and bandit's own JSON formats. */
const dir = tempDir("security-gate");
afterAll(() => dir.remove());
const file = (name: string, value: unknown) => {
  const path = join(dir.path, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};
const pipAudit = file("audit.json", {
  dependencies: [
    {
      name: "requests",
      version: "2.31.0",
      vulns: [
        {
          id: "GHSA-9wx4-h78v-vm56",
          fix_versions: ["2.32.0"],
          aliases: ["CVE-2024-35195"],
          description: "…",
        },
      ],
    },
    { name: "lxml", version: "5.3.0", vulns: [] },
  ],
  fixes: [],
});
const bandit = file("bandit.json", {
  errors: [],
  results: [
    {
      filename: "addons/ipai_x/models/x.py",
      line_number: 12,
      test_id: "B602",
      test_name: "subprocess_popen_with_shell_equals_true",
      issue_severity: "HIGH",
      issue_confidence: "HIGH",
      issue_text: "subprocess call with shell=True identified, security issue.",
    },
    {
      filename: "addons/ipai_x/models/y.py",
      line_number: 3,
      test_id: "B311",
      test_name: "blacklist",
      issue_severity: "LOW",
      issue_confidence: "HIGH",
      issue_text: "Standard pseudo-random generators are not suitable for security/cryptographic purposes.",
    },
  ],
  metrics: {},
});
const gate = (...extra: string[]) =>
  runCli(
    "security-gate",
    "--pip-audit",
    pipAudit,
    "--bandit",
    bandit,
    "--now",
    "2026-12-05T08:00:00Z",
    ...extra,
  );

describe("odooops security-gate", () => {
  it("fails on a known vulnerability and a high-severity SAST finding; a low one is advisory", async () => {
    const run = await gate("--exceptions", join(dir.path, "none.yaml"));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("BLOCKING pip-audit GHSA-9wx4-h78v-vm56 requests 2.31.0: fixed in 2.32.0");
    expect(run.stdout).toContain("BLOCKING bandit B602 addons/ipai_x/models/x.py:12");
    expect(run.stdout).toContain("advisory bandit B311");
    expect(run.stdout).toContain("security gate FAILED: 2 blocking, 0 excepted, 1 advisory finding(s)");
  });

  it("passes when each blocking finding has an unexpired exception (by alias too); an expired one blocks again", async () => {
    const exceptions = file(
      "exceptions.yaml",
      `exceptions:
  - { id: CVE-2024-35195, reason: "only talks to our own API over pinned TLS", approvedBy: sre-sam, expires: "2027-01-15" }
  - { id: "B602:addons/ipai_x/models/x.py", reason: "fixed argument list, no user input reaches it", approvedBy: rm-ben, expires: "2027-02-01" }
`,
    );
    const ok = await gate("--exceptions", exceptions);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("security gate passed: 0 blocking, 2 excepted");
    const later = await runCli(
      "security-gate",
      "--pip-audit",
      pipAudit,
      "--exceptions",
      exceptions,
      "--now",
      "2027-01-20T00:00:00Z",
    );
    expect(later.code).toBe(1);
    expect(later.stdout).toContain("exception CVE-2024-35195 expired on 2027-01-15");
  });

  it("refuses an exception without reason or with a bad date, located", async () => {
    const bad = file(
      "bad.yaml",
      "exceptions:\n  - id: GHSA-1\n    reason: ok\n    approvedBy: x\n    expires: soon\n",
    );
    const run = await gate("--exceptions", bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${bad}:3:13 exceptions[0].reason`);
    expect(run.stderr).toContain(`${bad}:5:14 exceptions[0].expires`);
  });
});
