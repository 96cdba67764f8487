/**
 * A failure the agent explains in one message: bad input (exit 2), an unsafe request it refuses, or an
 * operation that failed and left things as they were (exit 1). Printed without a stack trace.
 */
export class AgentError extends Error {
  override name = "AgentError";

  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** A mistake in what the caller asked for: fix the command line or the environment and run again. */
export class AgentInputError extends AgentError {
  override name = "AgentInputError";

  constructor(message: string) {
    super(message, 2);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ECONNRESET",
  "EAI_AGAIN",
]);
/** What libpq and psql say when the server cannot be reached or refuses the login. */
const PG_CONNECTION =
  /could not connect|connection to server .* failed|password authentication failed|database ".*" does not exist/i;

/**
 * A failure that is not the agent's own message, named by what failed: the database connection, the
 * backup storage, or (only when neither) an unexpected failure. Never a stack trace.
 */
export function describeFailure(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; name?: unknown; $metadata?: unknown; message?: unknown };
  const message = errorMessage(error);
  if (e.$metadata !== undefined)
    return `storage failure (${String(e.name ?? "S3 error")}): ${message || "the storage service refused the request"}`;
  if (typeof e.code === "string" && /^(08|28|3D)/.test(e.code))
    return `cannot connect to the database: ${message}`;
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return `connection failed: ${message}`;
  if (PG_CONNECTION.test(message)) return `cannot connect to the database: ${message}`;
  return `unexpected failure: ${message}`;
}
