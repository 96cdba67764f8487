/**
 * The control plane refuses with SQL errors (SQLSTATE + message + hint, see the identity migration).
 * Both adapters turn them into one error type whose message a person can act on; the adapters never
 * re-check a rule themselves.
 */
export const ERROR_KINDS = {
  "42501": ["forbidden", "not allowed"],
  P0002: ["not_found", "not found"],
  "22023": ["invalid_input", "invalid input"],
  "22P02": ["invalid_input", "invalid input"],
  "22007": ["invalid_input", "invalid input"],
  "22008": ["invalid_input", "invalid input"],
  "23514": ["invalid_input", "invalid input"],
  "23502": ["invalid_input", "invalid input"],
  "23505": ["conflict", "already exists"],
  OD001: ["gate_order", "gate out of order"],
  OD002: ["evidence_missing", "evidence missing"],
  OD003: ["separation_of_duties", "separation of duties"],
  OD004: ["already_decided", "already decided"],
  OD005: ["exception_inactive", "exception not active"],
  OD006: ["not_deployed", "not deployed"],
  OD007: ["release_not_ready", "release not ready"],
  OD010: ["append_only", "append-only"],
  "42883": ["schema_missing", "control plane schema missing"],
  "3F000": ["schema_missing", "control plane schema missing"],
  "42P01": ["schema_missing", "control plane schema missing"],
  PGRST202: ["schema_missing", "control plane schema missing"],
  PGRST106: ["schema_missing", "control plane schema missing"],
  PGRST301: ["forbidden", "not allowed"],
  PGRST302: ["forbidden", "not allowed"],
} as const satisfies Record<string, readonly [string, string]>;

export type ControlPlaneErrorKind =
  | (typeof ERROR_KINDS)[keyof typeof ERROR_KINDS][0]
  | "unavailable"
  | "unexpected";

/** Kinds that mean "the rules said no" (exit 1) rather than "the request was wrong" (exit 2). */
export const REFUSAL_KINDS: readonly ControlPlaneErrorKind[] = [
  "forbidden",
  "gate_order",
  "evidence_missing",
  "separation_of_duties",
  "already_decided",
  "exception_inactive",
  "not_deployed",
  "release_not_ready",
  "append_only",
];

const SCHEMA_HINT =
  "apply supabase/migrations (supabase db push, or npx tsx scripts/controlplane-migrate.ts)";

export class ControlPlaneError extends Error {
  override name = "ControlPlaneError";
  constructor(
    readonly kind: ControlPlaneErrorKind,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }

  /** `title: message` and, when the database gave one, the hint on how to fix it. */
  describe(): string {
    const title = (ERROR_KINDS as Record<string, readonly [string, string]>)[this.code]?.[1] ?? this.kind;
    return this.hint ? `${title}: ${this.message}\n  hint: ${this.hint}` : `${title}: ${this.message}`;
  }
}

export interface DatabaseErrorFields {
  code?: string | undefined;
  message?: string | undefined;
  hint?: string | null | undefined;
}

/** A PostgreSQL error (pg) or a PostgREST error body (supabase-js) as a ControlPlaneError. */
export function fromDatabaseError(error: DatabaseErrorFields): ControlPlaneError {
  const code = error.code ?? "";
  const known = (ERROR_KINDS as Record<string, readonly [ControlPlaneErrorKind, string]>)[code];
  const message = error.message?.trim() || "the control plane gave no message";
  if (known?.[0] === "schema_missing")
    return new ControlPlaneError("schema_missing", code, message, error.hint || SCHEMA_HINT);
  if (known) return new ControlPlaneError(known[0], code, message, error.hint || undefined);
  return new ControlPlaneError("unexpected", code, message, error.hint || undefined);
}

/** Network and connection failures: say where we tried, never with credentials. */
export function unavailable(where: string, cause: unknown): ControlPlaneError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ControlPlaneError(
    "unavailable",
    "",
    `cannot reach the control plane at ${where}: ${detail}`,
    "check ODOOOPS_CONTROL_PLANE_URL, or SUPABASE_URL and its key, and that the database is up",
  );
}

/** Keeps user, host, port and database of a connection URL; drops the password and query. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = "";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
