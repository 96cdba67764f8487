import { describe, expect, it } from "vitest";
import { planProgress } from "../../cli/plan/progress.ts";

describe("plan progress on stderr", () => {
  it("says nothing for a short plan", () => {
    const lines: string[] = [];
    let now = 0;
    const progress = planProgress(
      (l) => lines.push(l),
      "plan",
      1500,
      () => now,
    );
    for (let n = 1; n <= 100; n++) {
      now = n * 10; // 100 projects within one second
      progress(n, 100);
    }
    expect(lines).toEqual([]);
  });

  it("then one line per interval with projects done of the total and the time, and the last one", () => {
    const lines: string[] = [];
    let now = 0;
    const progress = planProgress(
      (l) => lines.push(l),
      "plan",
      1500,
      () => now,
    );
    now = 1000;
    progress(1, 4);
    now = 1600;
    progress(2, 4);
    now = 1700;
    progress(3, 4);
    now = 2100;
    progress(4, 4);
    expect(lines).toEqual(["plan: 2/4 projects, 2 s", "plan: 4/4 projects, 2 s"]);
  });
});
