import { describe, expect, it } from "vitest";
import { maxGapMs } from "../../../model/rules/backup-schedule.ts";

/** The widest gap between two runs of a cron schedule (UTC), as a person reading the schedule would count it. */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("the longest gap of a backup schedule", () => {
  it.each([
    ["0 2 * * *", DAY],
    ["0 0 * * *", DAY],
    ["0 */6 * * *", 6 * HOUR],
    ["*/15 * * * *", 15 * MINUTE],
    ["0 2,23 * * *", 21 * HOUR],
    ["30 1-5 * * *", 20 * HOUR],
    ["0 2 * * 1-5", 3 * DAY],
    ["0 2 * * 0", 7 * DAY],
    ["0 2 * * 0-6", DAY],
    ["0 2 1-31 * *", DAY],
    ["0 2 */2 * *", 2 * DAY],
    ["0 2 1 * *", 31 * DAY],
    ["0 2 1 1 *", 366 * DAY],
  ])("%s leaves at most %d ms between runs", (schedule, gap) => {
    expect(maxGapMs(schedule)).toBe(gap);
  });

  it("sees the leap-day schedule's four-year gap", () => {
    expect(maxGapMs("0 2 29 2 *")).toBe((365 * 3 + 366) * DAY);
  });
});
