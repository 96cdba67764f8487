import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyRetention,
  describeShortfall,
  isoWeek,
  RETENTION_MINIMUM,
  type RetentionPolicy,
  retentionShortfalls,
  type Snapshot,
} from "../../../model/data/retention.ts";

const DAY = 86_400_000;
const at = (iso: string): Snapshot => ({ id: iso, time: new Date(iso) });
const kept = (snapshots: Snapshot[], policy: RetentionPolicy) =>
  applyRetention(snapshots, policy)
    .filter((d) => d.keep)
    .map((d) => d.snapshot.id)
    .sort();

function daily(from: string, days: number, hour = "02:00:00"): Snapshot[] {
  const start = Date.parse(`${from}T${hour}Z`);
  return Array.from({ length: days }, (_, i) => at(new Date(start + i * DAY).toISOString()));
}

const P = (daily: number, weekly: number, monthly: number): RetentionPolicy => ({ daily, weekly, monthly });

describe("ISO weeks", () => {
  it.each([
    ["2020-12-31", 2020, 53],
    ["2021-01-03", 2020, 53],
    ["2021-01-04", 2021, 1],
    ["2024-12-30", 2025, 1],
    ["2025-12-29", 2026, 1],
    ["2026-01-01", 2026, 1],
    ["2026-06-15", 2026, 25],
  ])("%s is in week %i-W%i", (date, year, week) => {
    expect(isoWeek(new Date(`${date}T23:59:59Z`))).toEqual({ year, week });
  });
});

describe("grandfather-father-son retention (restic semantics)", () => {
  it("a year of daily backups keeps 7 days, 4 ISO weeks and 3 months, overlapping", () => {
    // 2025-12-31 is a Wednesday in ISO week 2026-W01 (Mon 29 Dec … Sun 4 Jan).
    const year = daily("2025-01-01", 365);
    expect(kept(year, P(7, 4, 3))).toEqual(
      [
        "2025-10-31", // monthly 2025-10
        "2025-11-30", // monthly 2025-11
        "2025-12-14", // weekly 2025-W50
        "2025-12-21", // weekly 2025-W51
        "2025-12-25",
        "2025-12-26",
        "2025-12-27",
        "2025-12-28", // daily, and weekly 2025-W52
        "2025-12-29",
        "2025-12-30",
        "2025-12-31", // daily, weekly 2026-W01 and monthly 2025-12
      ].map((d) => `${d}T02:00:00.000Z`),
    );
  });

  it("keeps the newest backup of each day when a day has several", () => {
    const snapshots = [
      "2026-03-01T02:00:00Z",
      "2026-03-01T14:00:00Z",
      "2026-03-02T02:00:00Z",
      "2026-03-02T09:30:00Z",
    ].map(at);
    const decisions = applyRetention(snapshots, P(1, 0, 0));
    expect(decisions.map((d) => [d.snapshot.id, d.keep])).toEqual([
      ["2026-03-02T09:30:00Z", true],
      ["2026-03-02T02:00:00Z", false],
      ["2026-03-01T14:00:00Z", false],
      ["2026-03-01T02:00:00Z", false],
    ]);
    expect(decisions[1]!.reasons).toEqual(["daily: 2026-03-02 is kept as 2026-03-02T09:30:00Z"]);
    expect(decisions[2]!.reasons).toEqual(["daily: only the newest day is kept"]);
  });

  it("counts days that have backups, not calendar days: gaps do not shorten the history", () => {
    const snapshots = ["2026-01-01", "2026-01-02", "2026-01-10", "2026-02-20", "2026-02-21"].map((d) =>
      at(`${d}T02:00:00Z`),
    );
    expect(kept(snapshots, P(3, 0, 0))).toEqual([
      "2026-01-10T02:00:00Z",
      "2026-02-20T02:00:00Z",
      "2026-02-21T02:00:00Z",
    ]);
  });

  it("keeps the oldest backup while a rule still has counts left", () => {
    const sameDay = ["2026-05-01T01:00:00Z", "2026-05-01T02:00:00Z", "2026-05-01T03:00:00Z"].map(at);
    const decisions = applyRetention(sameDay, P(7, 0, 0));
    expect(decisions.map((d) => d.keep)).toEqual([true, false, true]);
    expect(decisions[2]!.reasons).toEqual(["daily oldest snapshot, kept while daily counts remain"]);
  });

  it("keeps everything when every count is zero, like restic's empty policy", () => {
    const snapshots = daily("2026-01-01", 10);
    expect(applyRetention(snapshots, P(0, 0, 0)).every((d) => d.keep)).toBe(true);
  });

  it("lists every rule that kept a backup", () => {
    const decisions = applyRetention(daily("2026-01-01", 40), P(7, 4, 3));
    expect(decisions[0]!.reasons).toEqual(["daily 2026-02-09", "weekly 2026-W07", "monthly 2026-02"]);
  });

  it("does not depend on the order backups are listed in", () => {
    const snapshots = daily("2025-06-01", 120);
    const shuffled = [...snapshots].reverse();
    expect(kept(shuffled, P(7, 4, 3))).toEqual(kept(snapshots, P(7, 4, 3)));
  });

  const snapshotsArb = fc
    .uniqueArray(fc.integer({ min: 0, max: 400 * 24 }), { maxLength: 120 })
    .map((hours) => hours.map((h) => at(new Date(Date.UTC(2025, 0, 1) + h * 3_600_000).toISOString())));
  const countArb = fc.integer({ min: 0, max: 12 });

  it("keeps, per rule, the newest backup of each of the n newest periods (and the oldest while short)", () => {
    const period = {
      daily: (s: Snapshot) => s.time.toISOString().slice(0, 10),
      weekly: (s: Snapshot) => JSON.stringify(isoWeek(s.time)),
      monthly: (s: Snapshot) => s.time.toISOString().slice(0, 7),
    };
    fc.assert(
      fc.property(
        snapshotsArb,
        countArb,
        fc.constantFrom("daily", "weekly", "monthly" as const),
        (snapshots, n, rule) => {
          const newestFirst = [...snapshots].sort((a, b) => b.time.getTime() - a.time.getTime());
          const expected = new Set<string>();
          const periods: string[] = [];
          for (const s of newestFirst) {
            const p = period[rule](s);
            if (periods.includes(p)) continue;
            periods.push(p);
            if (periods.length <= n) expected.add(s.id);
          }
          if (n > 0 && periods.length < n && newestFirst.length > 0) expected.add(newestFirst.at(-1)!.id);
          const policy = { daily: 0, weekly: 0, monthly: 0, [rule]: n };
          const result = n === 0 ? [] : kept(snapshots, policy);
          expect(result).toEqual([...expected].sort());
        },
      ),
    );
  });

  it("overlapping rules keep exactly the union of what each rule keeps alone", () => {
    fc.assert(
      fc.property(snapshotsArb, countArb, countArb, countArb, (snapshots, d, w, m) => {
        fc.pre(d + w + m > 0);
        const alone = [P(d, 0, 0), P(0, w, 0), P(0, 0, m)]
          .filter((p) => p.daily + p.weekly + p.monthly > 0)
          .flatMap((p) => kept(snapshots, p));
        expect(kept(snapshots, P(d, w, m))).toEqual([...new Set(alone)].sort());
      }),
    );
  });

  it("never forgets the newest backup and never keeps more than the counts allow (+1 for the oldest)", () => {
    fc.assert(
      fc.property(snapshotsArb, countArb, countArb, countArb, (snapshots, d, w, m) => {
        fc.pre(snapshots.length > 0 && d + w + m > 0);
        const decisions = applyRetention(snapshots, P(d, w, m));
        expect(decisions[0]!.keep).toBe(true);
        expect(decisions.filter((x) => x.keep).length).toBeLessThanOrEqual(d + w + m + 3);
      }),
    );
  });
});

describe("production minimum", () => {
  it("is Odoo.sh parity", () => {
    expect(RETENTION_MINIMUM).toEqual({ daily: 7, weekly: 4, monthly: 3 });
  });
  it("names each shortfall", () => {
    expect(retentionShortfalls(P(7, 4, 3))).toEqual([]);
    expect(retentionShortfalls(P(14, 8, 12))).toEqual([]);
    expect(retentionShortfalls(P(3, 4, 0)).map(describeShortfall)).toEqual([
      "daily is 3, the minimum is 7",
      "monthly is 0, the minimum is 3",
    ]);
  });
});
