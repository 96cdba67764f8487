/**
 * Text that stays on one line of a line-based file (odoo.conf, the agent's environment file): no control
 * character, which covers every line break a reader may honour (`\n`, a bare `\r` that Python's
 * configparser and text-mode files end a line at, `\x85`, NUL), and no Unicode line or paragraph separator.
 * A value that broke the line would write options or variables of its own choosing.
 */
const LINE_BREAKING = /[\p{Cc}\u2028\u2029]/u;

export function isOneLine(text: string): boolean {
  return !LINE_BREAKING.test(text);
}
