import { describe, expect, it } from "vitest";
import { planProgress } from "../../cli/plan/progress.ts";

describe("plan progress on stderr", () => {
  it("says nothing for a short plan, then one line per interval with stack, resources and time", () => {
    const lines: string[] = [];
    let now = 0;
    const progress = planProgress(
      (l) => lines.push(l),
      "plan",
      1500,
      () => now,
    );
    for (let n = 1; n <= 100; n++) {
      now = n * 10; // 100 registrations within one second
      progress("staging", 1, 2, n);
    }
    expect(lines).toEqual([]);
    now = 1600;
    progress("staging", 1, 2, 101);
    now = 1700;
    progress("staging", 1, 2, 102);
    now = 3200;
    progress("prod", 2, 2, 7);
    expect(lines).toEqual([
      "plan: stack staging (1/2), 101 resources registered, 2 s",
      "plan: stack prod (2/2), 7 resources registered, 3 s",
    ]);
  });
});
