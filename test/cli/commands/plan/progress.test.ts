import { describe, expect, it } from "vitest";
import { planProgress } from "../../../../cli/commands/plan/progress.ts";

/** A progress reporter on a clock the test sets: `at(ms, done, total)` reports at that time. */
function reporter() {
  const lines: string[] = [];
  let now = 0;
  const progress = planProgress(
    (l) => lines.push(l),
    "plan",
    1500,
    () => now,
  );
  const at = (ms: number, done: number, total: number) => {
    now = ms;
    progress(done, total);
  };
  return { lines, at };
}

describe("plan progress on stderr", () => {
  it("says nothing for a short plan", () => {
    const { lines, at } = reporter();
    for (let n = 1; n <= 100; n++) at(n * 10, n, 100); // 100 projects within one second
    expect(lines).toEqual([]);
  });

  it("then one line per interval with projects done of the total and the time, and the last one", () => {
    const { lines, at } = reporter();
    at(1000, 1, 4);
    at(1600, 2, 4);
    at(1700, 3, 4);
    at(2100, 4, 4);
    expect(lines).toEqual(["plan: 2/4 projects, 2 s", "plan: 4/4 projects, 2 s"]);
  });
});
