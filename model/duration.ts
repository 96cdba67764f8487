/** Durations as written in project files: a whole number and one unit, e.g. `7d`, `36h`, `2w`, `90m`. */
const UNIT_MS = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

export type DurationUnit = keyof typeof UNIT_MS;
export const DURATION_PATTERN = /^([1-9][0-9]{0,4})(m|h|d|w)$/;
export const DURATION_HINT = "a whole number followed by m, h, d or w, e.g. 7d or 36h";

/** Milliseconds in `text`, or undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
}
