import { SIPHASH_WASM } from "./siphash-wasm.ts";

/**
 * SipHash-2-4 (Aumasson & Bernstein, 2012): a keyed pseudo-random function built for short inputs, so
 * masked values cannot be reversed by hashing guesses (names, emails) without the run's secret key.
 * Masking hashes millions of short fields: node:crypto's per-call cost (≈2 µs) would dominate a clone,
 * and JavaScript, without 64-bit integers, ran it three times slower than this WebAssembly module
 * (scripts/build-siphash-wasm.ts). Checked against the reference vectors.
 */

export interface SipKey {
  k0h: number;
  k0l: number;
  k1h: number;
  k1l: number;
}

export function sipKey(key: Uint8Array): SipKey {
  if (key.length !== 16) throw new Error("SipHash needs a 16-byte key");
  const word = (at: number) =>
    (key[at]! | (key[at + 1]! << 8) | (key[at + 2]! << 16) | (key[at + 3]! << 24)) >>> 0;
  return { k0l: word(0), k0h: word(4), k1l: word(8), k1h: word(12) };
}

/** The module's memory: the key at byte 0, the result at 16, the input from 32 on. */
const RESULT_WORD = 4;
const INPUT = 32;
const PAGE = 65536;

const sip = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(SIPHASH_WASM, "base64"))).exports as {
  memory: WebAssembly.Memory;
  siphash: (length: number) => void;
};
let words = new Uint32Array(sip.memory.buffer);
let input = new Uint8Array(sip.memory.buffer, INPUT);

const OUT = new Uint32Array(2);

/**
 * Where the next input goes: at least `size` bytes, valid until the next call. Write the bytes there and
 * call `siphashInput`, instead of `siphash`, to hash them without another copy.
 */
export function sipInput(size: number): Uint8Array {
  if (size > input.length) {
    sip.memory.grow(Math.ceil((size - input.length) / PAGE));
    words = new Uint32Array(sip.memory.buffer);
    input = new Uint8Array(sip.memory.buffer, INPUT);
  }
  return input;
}

/**
 * The SipHash-2-4 of the first `length` bytes of `sipInput()` as [high 32 bits, low 32 bits], in an
 * array that the next call overwrites: copy what you keep.
 */
export function siphashInput(key: SipKey, length: number): Uint32Array {
  words[0] = key.k0l;
  words[1] = key.k0h;
  words[2] = key.k1l;
  words[3] = key.k1h;
  sip.siphash(length);
  OUT[0] = words[RESULT_WORD + 1]!;
  OUT[1] = words[RESULT_WORD]!;
  return OUT;
}

/** The SipHash-2-4 of `bytes[start, end)`, as `siphashInput`. */
export function siphash(key: SipKey, bytes: Uint8Array, start = 0, end = bytes.length): Uint32Array {
  const length = end - start;
  const into = sipInput(length);
  // Most fields are a few dozen bytes: a loop beats a native call (and the view it would need) there.
  if (length < 64) for (let i = 0; i < length; i++) into[i] = bytes[start + i]!;
  else into.set(bytes.subarray(start, end));
  return siphashInput(key, length);
}
