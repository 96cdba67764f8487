import { Cron } from "croner";

/**
 * The longest time between two runs of a 5-field cron schedule (UTC), computed with croner over four
 * years from `from`, enough for every weekday, day-of-month and leap-day pattern to show its widest gap.
 * UTC has no DST, so a firing day's runs fall at the same times every day: the gaps that matter are the
 * ones inside a day and the ones from a day's last run to the next firing day's first.
 */
const DAY_MS = 86_400_000;
const WINDOW_DAYS = 4 * 366;

const known = new Map<string, number>();

/** maxGapMs, computed once per schedule: every stack and plan asks about the same few schedules. */
export function maxGapMsCached(schedule: string): number {
  const gap = known.get(schedule) ?? maxGapMs(schedule);
  known.set(schedule, gap);
  return gap;
}

export function maxGapMs(schedule: string, from = new Date(Date.UTC(2027, 0, 1))): number {
  const cron = new Cron(schedule, { paused: true, timezone: "UTC" });
  const end = from.getTime() + WINDOW_DAYS * DAY_MS;
  const nextDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS + DAY_MS;
  const start = cron.nextRun(new Date(from.getTime() - 1000))?.getTime();
  if (start === undefined) return Number.POSITIVE_INFINITY;
  let previous: number = start;
  // Every firing day runs at the same times of day, so its last run is its first plus this span.
  const span = (cron.previousRuns(1, new Date(nextDay(previous)))[0]?.getTime() ?? previous) - previous;
  let widest = intraDayGap(cron, previous, previous + span);
  // A schedule with no day restriction fires every day: from a day's last run to the next day's first.
  if (/^\S+\s+\S+\s+\*\s+\*\s+\*$/.test(schedule.trim())) return Math.max(widest, DAY_MS - span);
  while (previous < end) {
    const first: number | undefined = cron.nextRun(new Date(nextDay(previous) - 1000))?.getTime();
    if (first === undefined) return Number.POSITIVE_INFINITY;
    widest = Math.max(widest, first - (previous + span));
    previous = first;
  }
  return widest;
}

/** The widest gap between runs inside one firing day. */
function intraDayGap(cron: Cron, first: number, last: number): number {
  let widest = 0;
  let at = first;
  while (at < last) {
    const next = cron.nextRun(new Date(at))!.getTime();
    widest = Math.max(widest, next - at);
    at = next;
  }
  return widest;
}
