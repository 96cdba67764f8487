/**
 * Grandfather-father-son retention of backups, with the semantics of restic's
 * `forget --keep-last/--keep-hourly/--keep-daily/--keep-weekly/--keep-monthly/--keep-yearly`
 * (restic internal/restic/snapshot_policy.go, ApplyPolicy):
 *
 * - snapshots are walked newest first; each rule keeps the newest snapshot of each of its periods
 *   (hour, calendar day, ISO 8601 week, calendar month, year) until its count is used up;
 * - the rules overlap: a snapshot kept by several rules is kept once and lists every reason, and it
 *   uses up one count of each of those rules;
 * - a rule that still has counts left when it reaches the oldest snapshot keeps that one too, so a
 *   short history is never thinned below what the policy asks for;
 * - a policy with every count at zero keeps everything (restic refuses to forget with an empty policy).
 *
 * One deliberate difference: periods are computed in UTC (restic uses each snapshot's local time),
 * because backups are taken on servers whose time zone says nothing about the project.
 */

export interface RetentionPolicy {
  last?: number;
  hourly?: number;
  daily: number;
  weekly: number;
  monthly: number;
  yearly?: number;
}

/** Odoo.sh parity, the floor for production: 7 daily, 4 weekly, 3 monthly. */
export const RETENTION_MINIMUM = { daily: 7, weekly: 4, monthly: 3 } as const;

export interface Snapshot {
  id: string;
  time: Date;
}

export interface RetentionDecision<T extends Snapshot> {
  snapshot: T;
  keep: boolean;
  /** Why it is kept (one entry per rule that kept it) or why no rule kept it. */
  reasons: string[];
}

type RuleName = "last" | "hourly" | "daily" | "weekly" | "monthly" | "yearly";

interface Rule {
  name: RuleName;
  /** The period a snapshot falls in, as a label that sorts and reads well (2026-W07, 2026-02-14). */
  period(time: Date, index: number): string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const ymd = (t: Date) => `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;

/** ISO 8601 week of a UTC date: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(time: Date): { year: number; week: number } {
  const day = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return { year, week };
}

const RULES: readonly Rule[] = [
  { name: "last", period: (_t, index) => `#${index}` },
  { name: "hourly", period: (t) => `${ymd(t)} ${pad(t.getUTCHours())}h` },
  { name: "daily", period: (t) => ymd(t) },
  {
    name: "weekly",
    period: (t) => {
      const { year, week } = isoWeek(t);
      return `${year}-W${pad(week)}`;
    },
  },
  { name: "monthly", period: (t) => `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}` },
  { name: "yearly", period: (t) => String(t.getUTCFullYear()) },
];

/** Newest first; equal times fall back to the id so the outcome never depends on listing order. */
function newestFirst<T extends Snapshot>(a: T, b: T): number {
  return b.time.getTime() - a.time.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export function applyRetention<T extends Snapshot>(
  snapshots: readonly T[],
  policy: RetentionPolicy,
): RetentionDecision<T>[] {
  const sorted = [...snapshots].sort(newestFirst);
  const active = RULES.map((rule) => ({
    rule,
    left: policy[rule.name] ?? 0,
    last: undefined as string | undefined,
  }))
    .filter((r) => r.left > 0)
    // Counts of the rules that exist at all, for the forget reasons.
    .map((r) => ({ ...r, total: r.left, keptBy: new Map<string, string>() }));
  if (active.length === 0)
    return sorted.map((snapshot) => ({
      snapshot,
      keep: true,
      reasons: ["the policy is empty: keep everything"],
    }));

  return sorted.map((snapshot, index) => {
    const kept: string[] = [];
    const notKept: string[] = [];
    const oldest = index === sorted.length - 1;
    for (const r of active) {
      const period = r.rule.period(snapshot.time, index);
      if (r.left <= 0) {
        notKept.push(
          r.keptBy.has(period)
            ? `${r.rule.name}: ${period} is kept as ${r.keptBy.get(period)}`
            : `${r.rule.name}: ${outside(r.rule.name, r.total)}`,
        );
        continue;
      }
      if (period !== r.last || oldest) {
        const why =
          period === r.last ? `oldest snapshot, kept while ${r.rule.name} counts remain` : `${period}`;
        kept.push(`${r.rule.name} ${why}`);
        r.last = period;
        r.keptBy.set(period, snapshot.id);
        r.left -= 1;
      } else {
        notKept.push(`${r.rule.name}: ${period} is kept as ${r.keptBy.get(period)}`);
      }
    }
    return kept.length > 0
      ? { snapshot, keep: true, reasons: kept }
      : { snapshot, keep: false, reasons: notKept };
  });
}

function outside(rule: RuleName, count: number): string {
  const unit = {
    last: "snapshot",
    hourly: "hour",
    daily: "day",
    weekly: "week",
    monthly: "month",
    yearly: "year",
  }[rule];
  return count === 1 ? `only the newest ${unit} is kept` : `only the ${count} newest ${unit}s are kept`;
}

export type RetentionTier = keyof typeof RETENTION_MINIMUM;

export interface RetentionShortfall {
  tier: RetentionTier;
  have: number;
  need: number;
}

/** Where a policy falls short of the production minimum; empty when it meets it. */
export function retentionShortfalls(policy: Pick<RetentionPolicy, RetentionTier>): RetentionShortfall[] {
  return (Object.keys(RETENTION_MINIMUM) as RetentionTier[])
    .filter((tier) => policy[tier] < RETENTION_MINIMUM[tier])
    .map((tier) => ({ tier, have: policy[tier], need: RETENTION_MINIMUM[tier] }));
}

export function describeShortfall({ tier, have, need }: RetentionShortfall): string {
  return `${tier} is ${have}, the minimum is ${need}`;
}
