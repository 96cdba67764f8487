/**
 * PostgreSQL's `hashtextextended(text, seed)` (Bob Jenkins' lookup3 as in src/common/hashfn.c,
 * hash_bytes_extended, little-endian), so the agent can hash masked source values while it streams
 * them and the leak scan can compare them with `hashtextextended(column, seed)` computed by the
 * database. Only used to find values again, never to hide them: masking uses SipHash.
 */

const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

// Typed-array state: see siphash.ts for why plain shared variables are slow here.
const S = new Uint32Array(3);

function mix(): void {
  let a = S[0]!;
  let b = S[1]!;
  let c = S[2]!;
  a = (a - c) >>> 0;
  a = (a ^ rot(c, 4)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rot(a, 6)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rot(b, 8)) >>> 0;
  b = (b + a) >>> 0;
  a = (a - c) >>> 0;
  a = (a ^ rot(c, 16)) >>> 0;
  c = (c + b) >>> 0;
  b = (b - a) >>> 0;
  b = (b ^ rot(a, 19)) >>> 0;
  a = (a + c) >>> 0;
  c = (c - b) >>> 0;
  c = (c ^ rot(b, 4)) >>> 0;
  b = (b + a) >>> 0;
  S[0] = a;
  S[1] = b;
  S[2] = c;
}

function final(): void {
  let a = S[0]!;
  let b = S[1]!;
  let c = S[2]!;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0;
  a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0;
  b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0;
  c = (c - rot(b, 24)) >>> 0;
  S[0] = a;
  S[1] = b;
  S[2] = c;
}

const word = (k: Uint8Array, i: number) =>
  (k[i]! | (k[i + 1]! << 8) | (k[i + 2]! << 16) | (k[i + 3]! << 24)) >>> 0;

const OUT = new Uint32Array(2);

/**
 * hash_bytes_extended(k[start, end), seed) as [high 32 bits, low 32 bits], seed given as two uint32
 * halves, in an array the next call overwrites.
 */
export function pgHashBytes(
  k: Uint8Array,
  start: number,
  end: number,
  seedHigh: number,
  seedLow: number,
): Uint32Array {
  let len = end - start;
  S[0] = S[1] = S[2] = 0x9e3779b9 + len + 3923095;
  if (seedHigh !== 0 || seedLow !== 0) {
    S[0] = S[0]! + seedHigh;
    S[1] = S[1]! + seedLow;
    mix();
  }
  let i = start;
  while (len >= 12) {
    S[0] = S[0]! + word(k, i);
    S[1] = S[1]! + word(k, i + 4);
    S[2] = S[2]! + word(k, i + 8);
    mix();
    i += 12;
    len -= 12;
  }
  // The last 11 bytes; the lowest byte of c stays free, as in the C code.
  if (len >= 9)
    S[2] = S[2]! + (k[i + 8]! << 8) + (len >= 10 ? k[i + 9]! << 16 : 0) + (len >= 11 ? k[i + 10]! << 24 : 0);
  if (len >= 8) {
    S[1] = S[1]! + word(k, i + 4);
    S[0] = S[0]! + word(k, i);
  } else {
    if (len >= 5)
      S[1] = S[1]! + k[i + 4]! + (len >= 6 ? k[i + 5]! << 8 : 0) + (len >= 7 ? k[i + 6]! << 16 : 0);
    if (len >= 4) S[0] = S[0]! + word(k, i);
    else if (len >= 1)
      S[0] = S[0]! + k[i]! + (len >= 2 ? k[i + 1]! << 8 : 0) + (len >= 3 ? k[i + 2]! << 16 : 0);
  }
  final();
  OUT[0] = S[1]!;
  OUT[1] = S[2]!;
  return OUT;
}

/** A 64-bit hash as PostgreSQL prints an int8 (signed decimal). */
export function int8Text(high: number, low: number): string {
  return BigInt.asIntN(64, (BigInt(high) << 32n) | BigInt(low)).toString();
}
