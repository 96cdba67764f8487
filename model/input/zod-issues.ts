import type { z } from "zod";
import type { PathSegment } from "../problem.ts";

/** Renders a found value the way a user would have typed it, short. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${show(value)}`;
}

/** Levenshtein distance, for "did you mean" hints on typos. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  const ranked = candidates
    .map((c) => ({ c, d: distance(word.toLowerCase(), c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d);
  const best = ranked[0];
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.c : undefined;
}

export interface LocatedIssue {
  path: PathSegment[];
  /** Point at the key rather than its value (unknown keys). */
  atKey: boolean;
  message: string;
}

/**
 * One zod issue as sentences a person can act on: what was found, what is allowed. Unknown keys become
 * one issue per key so each points at its own line. `allowedKeys` lists the keys of the mapping at a path.
 */
export function describeIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  allowedKeys: (path: readonly PathSegment[]) => string[],
): LocatedIssue[] {
  const path = issue.path as PathSegment[];
  const found = valueAt(input, path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const allowed = allowedKeys(path);
        const guess = closest(key, allowed);
        const hint = guess ? `did you mean "${guess}"? ` : "";
        return {
          path: [...path, key],
          atKey: true,
          message: `unknown key "${key}"; ${hint}allowed here: ${allowed.join(", ")}`,
        };
      });
    case "invalid_value": {
      const allowed = issue.values.map(String);
      if (found === undefined)
        return [{ path, atKey: false, message: `missing; set it to one of ${allowed.join(" | ")}` }];
      const guess = typeof found === "string" ? closest(found, allowed) : undefined;
      const hint = guess ? ` (did you mean "${guess}"?)` : "";
      return [{ path, atKey: false, message: `${show(found)} is not one of ${allowed.join(" | ")}${hint}` }];
    }
    case "invalid_type":
      if (found === undefined)
        return [{ path, atKey: false, message: `missing; expected ${issue.expected}` }];
      return [{ path, atKey: false, message: `expected ${issue.expected}, found ${typeName(found)}` }];
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const word = issue.code === "too_small" ? "at least" : "at most";
      const what = issue.origin === "array" ? "entries" : issue.origin === "string" ? "characters" : "";
      return [
        {
          path,
          atKey: false,
          message: `${show(found)} is not allowed; must be ${word} ${bound} ${what}`.trim(),
        },
      ];
    }
    default:
      return [{ path, atKey: false, message: withFound(issue.message, found) }];
  }
}

/** Our own "must …" messages say what is allowed; put the found value in front of them. */
function withFound(message: string, found: unknown): string {
  if (!message.startsWith("must") || found === undefined || typeof found === "object") return message;
  return `${show(found)} ${message}`;
}
