/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};

export const EXIT = { ok: 0, violations: 1, invalidInput: 2 } as const;

/** A usage or input mistake detected by a command: printed without a stack trace, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
