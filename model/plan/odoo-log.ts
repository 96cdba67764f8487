/**
 * Odoo's log lines (`2026-12-04 18:00:01,123 7 ERROR acme odoo.modules.loading: …`, odoo/netsvc.py's
 * format) and Python tracebacks: what makes a post-deploy log "not clean". WARNING is not an error.
 */
const LEVELED = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \d+ (ERROR|CRITICAL) /;
const TRACEBACK = /^Traceback \(most recent call last\):/;

export function logErrors(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => LEVELED.test(line) || TRACEBACK.test(line));
}
