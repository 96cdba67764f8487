/**
 * Whether a value has the exact shape of a mask this agent writes (model: agent/mask/strategies.ts).
 * Masks are a fixed prefix plus hex or decimal digits, so if no source value has such a shape, no
 * masked cell can equal a source value: the leak scan may then skip the masked columns themselves.
 */
const SHAPES: readonly RegExp[] = [
  /^Name [0-9a-f]{12}(, Name [0-9a-f]{12})*$/,
  /^u[0-9a-f]{16}@masked\.invalid$/,
  /^user-[0-9a-f]{12}$/,
  /^\+999 [0-9]{10}$/,
  /^Street [0-9a-f]{8}$/,
  /^City [0-9a-f]{6}$/,
  /^Z[0-9A-F]{5}$/,
  /^XX[0-9]{10}$/,
  /^XX00MASK[0-9A-F]{12}$/,
  /^masked [0-9a-f]{12}$/,
  /^masked text [0-9a-f]{12}( lorem)*$/,
  /^file-[0-9a-f]{12}(\.[A-Za-z0-9]{1,8})?$/,
];

/** The fixed start of each shape: a value that starts with none of them is decided without a regex. */
const PREFIXES = ["Name ", "user-", "+999 ", "Street ", "City ", "XX", "masked ", "file-"].map((p) =>
  Buffer.from(p),
);

function startsWith(bytes: Uint8Array, start: number, end: number, prefix: Buffer): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[start + i] !== prefix[i]) return false;
  return true;
}

export function looksMasked(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < 6 || length > 4100) return false;
  const first = bytes[start];
  const candidate =
    (first === 0x75 && length === 32) || // u…@masked.invalid
    (first === 0x5a && length === 6) || // Z…
    PREFIXES.some((prefix) => startsWith(bytes, start, end, prefix));
  if (!candidate) return false;
  const text = Buffer.from(bytes.subarray(start, end)).toString("latin1");
  return SHAPES.some((shape) => shape.test(text));
}
