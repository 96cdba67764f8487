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
