import type { z } from "zod";
import type { PathSegment } from "../../problem.ts";

/**
 * Characters that render as nothing or reorder what is around them: format controls (zero-width
 * space/joiners, bidirectional embeddings, overrides and isolates, BOM, soft hyphen, tag characters),
 * variation selectors and Hangul fillers. In a name they make two different strings look the same
 * (`main` and `ma\u200Bin`), or a name read differently from what it is ("Trojan Source").
 */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: the class lists combining and filler characters on purpose
const INVISIBLE = /[\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u3164\uFE00-\uFE0F\uFFA0]/u;

/** What the first invisible character of `text` is and where, or undefined when there is none. */
export function invisibleCharacter(text: string): string | undefined {
  const match = INVISIBLE.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
  return `contains an invisible or bidirectional character (U+${code}) at position ${match.index + 1}, which makes it look like a different string; retype it`;
}

/** A string schema that also refuses invisible characters. */
export function visible<T extends z.ZodType<string>>(schema: T) {
  return schema.superRefine((text, ctx) => {
    const problem = invisibleCharacter(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/**
 * Every string (and mapping key) under `value` that holds an invisible character, by path. The loaders
 * run this on whole files, so names, `keep` entries, catalog branches and free text are covered alike.
 */
export function invisibleCharacterFindings(value: unknown): { path: PathSegment[]; message: string }[] {
  const found: { path: PathSegment[]; message: string }[] = [];
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (typeof node === "string") {
      const problem = invisibleCharacter(node);
      if (problem) found.push({ path, message: problem });
    } else if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) visit(item, [...path, i]);
    } else if (node !== null && typeof node === "object")
      for (const [key, item] of Object.entries(node)) {
        const problem = invisibleCharacter(key);
        if (problem) found.push({ path: [...path, key], message: `the key ${problem}` });
        visit(item, [...path, key]);
      }
  };
  visit(value, []);
  return found;
}
