/**
 * What a migration's log says, in Odoo's log format (odoo/netsvc.py:
 * `2026-12-05 07:00:01,123 42 WARNING db odoo.modules.loading: …`). Errors are ERROR and CRITICAL lines
 * and tracebacks (with the exception line that ends them); warnings are WARNING lines. Migration steps
 * are Odoo's own `module <m>: Running upgrade [>18.0.1.3] pre-migration` (odoo/modules/migration.py;
 * "Running migration" before 18.0), and OpenUpgrade reports a failed script as
 * `OpenUpgrade: <module>: error in migration script <file>: <message>` (openupgradelib's `migrate`).
 */
const LINE =
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) (\S+) ([\w.]+): (.*)$/;
const STEP = /^module (\w+): Running (?:upgrade|migration) \[([>$]?)([\w.]+?)(>?)\] (\S+)/;
const SCRIPT_ERROR = /^(\w+): error in migration script (\S+): (.*)$/;

export interface LogEntry {
  level: "WARNING" | "ERROR" | "CRITICAL";
  logger: string;
  message: string;
  /** The module the line is about, when it names one. */
  module: string | undefined;
  /** Following lines of a traceback, ending with the exception. */
  traceback: string[];
}

export interface MigrationStep {
  module: string;
  version: string;
  stage: "pre" | "post" | "end";
  script: string;
}

export interface MigrationLog {
  errors: LogEntry[];
  warnings: LogEntry[];
  steps: MigrationStep[];
}

function moduleOf(logger: string, message: string): string | undefined {
  return (
    SCRIPT_ERROR.exec(message)?.[1] ??
    /^module (\w+)/.exec(message)?.[1] ??
    /^odoo\.addons\.(\w+)/.exec(logger)?.[1]
  );
}

export function readMigrationLog(text: string): MigrationLog {
  const log: MigrationLog = { errors: [], warnings: [], steps: [] };
  let last: LogEntry | undefined;
  let inTraceback = false;
  for (const line of text.split(/\r?\n/)) {
    const m = LINE.exec(line);
    if (m) {
      inTraceback = false;
      const [, level, , logger, message] = m as unknown as [string, string, string, string, string];
      const step = STEP.exec(message);
      if (step) {
        const stage = step[2] === ">" ? "pre" : step[2] === "$" ? "end" : "post";
        log.steps.push({ module: step[1]!, version: step[3]!, stage, script: step[5]! });
      }
      if (level === "WARNING" || level === "ERROR" || level === "CRITICAL") {
        last = { level, logger, message, module: moduleOf(logger, message), traceback: [] };
        (level === "WARNING" ? log.warnings : log.errors).push(last);
      } else last = undefined;
      continue;
    }
    if (line.startsWith("Traceback (most recent call last):")) {
      inTraceback = true;
      if (!last || last.level === "WARNING") {
        last = { level: "ERROR", logger: "traceback", message: line, module: undefined, traceback: [] };
        log.errors.push(last);
      }
      continue;
    }
    if (inTraceback && last && line.trim() !== "") last.traceback.push(line);
  }
  return log;
}
