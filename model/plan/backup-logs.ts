import type { BackupLogs } from "../data/backup-record.ts";
import { looksLikeToken } from "../rules/secrets.ts";

/**
 * The environment's recent log lines as a backup keeps them: the last `max` lines, each cut at 4000
 * characters, and anything shaped like a token or a password assignment replaced, because a backup
 * travels further than the host's log (drills, restores into staging).
 */
export const BACKUP_LOG_LINES = 500;
const ASSIGNED_SECRET = /\b(password|passwd|secret|token|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi;

export function redactLine(line: string): string {
  return line
    .replace(ASSIGNED_SECRET, (_m, key: string, sep: string) => `${key}${sep}[redacted]`)
    .split(/(\s+)/)
    .map((word) => (looksLikeToken(word) ? "[redacted]" : word))
    .join("");
}

export function recentLogs(text: string, source: string, max = BACKUP_LOG_LINES): BackupLogs {
  const all = text.split(/\r?\n/);
  if (all.at(-1) === "") all.pop();
  const lines = all.slice(-max).map((l) => redactLine(l.slice(0, 4000)));
  return { source, lines, truncated: all.length > max };
}

/**
 * Text from a backup made fit for a terminal: control characters (an escape sequence can rewrite what
 * the screen shows, or the window title) and bidirectional overrides are shown as `\u{…}` instead of
 * acting. A zip's odooops.json is whatever its maker wrote.
 */
export function printable(text: string): string {
  return text.replace(
    /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu,
    (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}

/** What a restore says about the backup's origin, in one line, printable. */
export function buildLine(facts: {
  build?: { image?: string; commit?: string; buildId?: string };
  logs?: BackupLogs;
}): string {
  const b = facts.build;
  const parts = b
    ? [
        b.image && `image ${printable(b.image)}`,
        b.commit && `commit ${printable(b.commit)}`,
        b.buildId && `build ${printable(b.buildId)}`,
      ].filter(Boolean)
    : [];
  const what =
    parts.length > 0
      ? `taken while running ${parts.join(", ")}`
      : "no build recorded (an older or foreign backup)";
  return facts.logs
    ? `${what}; ${facts.logs.lines.length} log line(s) from ${printable(facts.logs.source)}`
    : what;
}
