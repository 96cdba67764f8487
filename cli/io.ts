/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** `text` as a line: the newline is written on its own, so a large plan (tens of MB) is never copied to add it. */
function writeLine(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text);
  if (!text.endsWith("\n")) stream.write("\n");
}

export const processIo: Io = {
  out: (text) => writeLine(process.stdout, text),
  err: (text) => writeLine(process.stderr, text),
};

export const EXIT = { ok: 0, violations: 1, invalidInput: 2 } as const;

/** A usage or input mistake detected by a command: printed without a stack trace, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
