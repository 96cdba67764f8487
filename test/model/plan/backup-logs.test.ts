import { describe, expect, it } from "vitest";
import { buildLine, printable } from "../../../model/plan/backup-logs.ts";

describe("what a restore prints of a backup's origin", () => {
  it("shows escape sequences and bidirectional overrides instead of letting them act", () => {
    expect(printable("ok \u001b]0;pwned\u0007 \u001b[2J\u202Eevil\r")).toBe(
      "ok \\u{1b}]0;pwned\\u{7} \\u{1b}[2J\\u{202e}evil\\u{d}",
    );
    expect(printable("ghcr.io/acme/shop@sha256:ab — ünïcode stays")).toBe(
      "ghcr.io/acme/shop@sha256:ab — ünïcode stays",
    );
  });

  it("prints a zip's build facts printable", () => {
    const line = buildLine({
      build: { image: "img\u001b[31m", commit: "abc", buildId: "b-1\u001b]8;;https://x\u0007" },
      logs: { source: "odoo\u001b[0m", lines: ["a"], truncated: false },
    });
    expect(line).toBe(
      "taken while running image img\\u{1b}[31m, commit abc, build b-1\\u{1b}]8;;https://x\\u{7}; 1 log line(s) from odoo\\u{1b}[0m",
    );
    expect(line).not.toMatch(/\p{Cc}/u);
  });
});
