import type { MaskedTable } from "../mask/dump-masker.ts";
import type { LeakScanResult } from "../mask/leak-scan.ts";
import type { NeutralizeStep } from "../neutralize/run.ts";
import { formatBytes, formatDuration } from "../progress.ts";

/** Human-readable lines about the optional steps of a copy. */
export function stepLines(
  masked: readonly MaskedTable[] | undefined,
  scan: LeakScanResult | undefined,
  neutralized: readonly NeutralizeStep[] | undefined,
  filestore: { files: number; bytes: number } | undefined,
): string[] {
  const lines: string[] = [];
  if (masked)
    lines.push(
      `masked: ${masked.map((t) => `${t.table} (${t.rows} rows: ${t.columns.join(", ")})`).join("; ") || "no matching columns"}`,
    );
  if (scan)
    lines.push(
      `leak scan: ${scan.sourceValues} masked source values looked for in ${scan.columnsScanned} text columns of ${scan.tablesScanned} tables (${scan.columnsProvenMasked} proven masked as written, the rest searched), ${scan.leaks.length} found`,
    );
  if (neutralized) lines.push(...neutralizeLines(neutralized));
  if (filestore) lines.push(`filestore: ${filestore.files} files, ${formatBytes(filestore.bytes)}`);
  return lines;
}

export function neutralizeLines(steps: readonly NeutralizeStep[]): string[] {
  const applied = steps.filter((s) => s.rows !== undefined);
  return [
    `neutralized: ${applied.length} steps applied, ${steps.length - applied.length} skipped (tables not in this database)`,
    ...applied.map((s) => `  ${s.module}: ${s.description} (${s.rows} rows)`),
  ];
}

export function took(durationMs: number): string {
  return formatDuration(durationMs);
}
