/**
 * Fitting a Markdown document under a size limit without cutting anything in half. A section is a head
 * (its title, a table header) and parts (a table row, a `<details>` block), each complete Markdown on
 * its own: a section keeps its head and as many whole parts as fit, and says how many it left out.
 */
export interface Section {
  head: string[];
  parts: string[][];
  /** What one omitted part is called in the "… N more" line, e.g. "projects". */
  unit: string;
  /** Which sections get room first when not everything fits (lowest first); default: reading order. */
  priority?: number;
}

export interface Fitted {
  text: string;
  /** How many parts were left out, over every section. */
  omitted: number;
}

const size = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0);

function omittedLine(count: number, unit: string): string[] {
  if (count === 0) return [];
  return ["", `_… ${count} more ${unit} not shown here (comment size limit); see the full plan._`, ""];
}

/**
 * The sections in reading order, within `limit` characters including `footer(omitted)`. Every
 * section's head and "omitted" line are reserved first; parts are then filled section by section in
 * order of `priority` (lowest first, default: reading order), so a long section read early (the
 * changes) cannot push out one that must be seen (the mandatory violations).
 */
export function fitSections(
  sections: readonly Section[],
  limit: number,
  footer: (omitted: number) => string[],
): Fitted {
  let budget = limit - size(footer(Number.MAX_SAFE_INTEGER));
  for (const s of sections) budget -= size(s.head) + size(omittedLine(s.parts.length, s.unit));
  const kept = new Map<Section, number>();
  const byPriority = sections
    .map((section, index) => ({ section, rank: section.priority ?? index }))
    .sort((a, b) => a.rank - b.rank);
  for (const { section } of byPriority) {
    // This section's "omitted" line was reserved for the worst case; all parts fitting frees it.
    let count = 0;
    for (const part of section.parts) {
      const freed =
        count + 1 === section.parts.length ? size(omittedLine(section.parts.length, section.unit)) : 0;
      if (size(part) > budget + freed) break;
      budget -= size(part);
      count += 1;
    }
    if (count === section.parts.length) budget += size(omittedLine(section.parts.length, section.unit));
    kept.set(section, count);
  }
  const lines: string[] = [];
  let omitted = 0;
  for (const section of sections) {
    const count = kept.get(section) ?? 0;
    const left = section.parts.length - count;
    lines.push(...section.head, ...section.parts.slice(0, count).flat(), ...omittedLine(left, section.unit));
    omitted += left;
  }
  return { text: [...lines, ...footer(omitted)].join("\n"), omitted };
}
