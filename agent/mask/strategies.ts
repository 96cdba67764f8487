import type { MaskStrategy } from "../../model/data/masking.ts";
import { type SipKey, siphash, siphashInput, sipInput } from "../hash/siphash.ts";
import { escapeField, unescapeField } from "../sql-stream/copy-format.ts";
import type { OutputBuffer } from "../sql-stream/output-buffer.ts";

/**
 * The masking strategies, applied to one COPY field (escaped bytes as pg_dump wrote them). Each output
 * depends only on the input value and the run's secret key, so equal values mask equally within a run.
 * Outputs are plain ASCII that never needs escaping and never looks like real data: names carry a hex
 * tag, emails end in the reserved `.invalid` domain, phones use the unassigned +999 country code.
 */

export interface MaskContext {
  key: SipKey;
  /** What every password becomes: a passlib hash of the reset password, or null to disable logins. */
  password: string | null;
}

const hash = siphash;

const lower = (c: number) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
const upper = (c: number) => (c >= 0x61 && c <= 0x7a ? c & ~0x20 : c);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlnum = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** The address inside `"Name" <a@b>` (or the whole value), trimmed and lowercased (ASCII). */
function emailHash(key: SipKey, b: Uint8Array, start: number, end: number): Uint32Array {
  let s = start;
  let e = end;
  // Only within the field: Buffer#lastIndexOf would search back to the start of the whole chunk.
  let open = end - 1;
  while (open >= start && b[open] !== 0x3c) open--;
  if (open >= start) {
    let close = open + 1;
    while (close < end && b[close] !== 0x3e) close++;
    if (close < end) {
      s = open + 1;
      e = close;
    }
  }
  while (s < e && b[s] === 0x20) s++;
  while (e > s && b[e - 1] === 0x20) e--;
  // Normalized straight into the hash's input: no copy in between.
  const out = sipInput(e - s);
  for (let i = s; i < e; i++) out[i - s] = lower(b[i]!);
  return siphashInput(key, e - s);
}

/** Hash of the bytes `keep` accepts, mapped by `map`: digits of a phone, letters and digits of an IBAN. */
function normalizedHash(
  key: SipKey,
  b: Uint8Array,
  start: number,
  end: number,
  keep: (c: number) => boolean,
  map: (c: number) => number,
): Uint32Array {
  const out = sipInput(end - start);
  let n = 0;
  for (let i = start; i < end; i++) if (keep(b[i]!)) out[n++] = map(b[i]!);
  return siphashInput(key, n);
}

const identity = (c: number) => c;

function tagged(out: OutputBuffer, prefix: string, h: Uint32Array, nibbles: number, upperCase = false): void {
  out.text(prefix);
  out.hex(h[0]!, h[1]!, nibbles, upperCase);
}

function digits10(out: OutputBuffer, prefix: string, h: Uint32Array): void {
  out.text(prefix);
  out.decimal(h[0]! % 100000, 5);
  out.decimal(h[1]! % 100000, 5);
}

function email(out: OutputBuffer, h: Uint32Array): void {
  tagged(out, "u", h, 16);
  out.text("@masked.invalid");
}

function hasByte(b: Uint8Array, value: number, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] === value) return true;
  return false;
}

/** Free text and HTML: a neutral text of about the same length (capped), so layouts still look right. */
const PROSE_WORD = " lorem";
const PROSE_MAX = 4000;

function prose(out: OutputBuffer, h: Uint32Array, length: number): void {
  tagged(out, "masked text ", h, 12);
  for (let n = 24; n + PROSE_WORD.length <= Math.min(length, PROSE_MAX); n += PROSE_WORD.length)
    out.text(PROSE_WORD);
}

/** An attachment's name: the person's name goes, the extension (what Odoo shows the file as) stays. */
function fileName(out: OutputBuffer, h: Uint32Array, b: Buffer, start: number, end: number): void {
  tagged(out, "file-", h, 12);
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(b.toString("latin1", Math.max(start, end - 9), end));
  if (extension) out.text(extension[0]);
}

const decoder = new TextDecoder();

/**
 * json/jsonb (Odoo's properties, a lead's custom fields): walked key by key; every string value is
 * masked like text, keys, numbers and booleans stay, so the document keeps its shape. A value that is
 * not JSON becomes an empty object.
 */
function maskJson(ctx: MaskContext, b: Buffer, start: number, end: number): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(unescapeField(b, start, end)));
  } catch {
    return "{}";
  }
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") {
      const h = hash(ctx.key, Buffer.from(value));
      return `masked ${h[0]!.toString(16).padStart(8, "0")}${(h[1]! >>> 16).toString(16).padStart(4, "0")}`;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return escapeField(JSON.stringify(walk(parsed)));
}

/**
 * Writes the masked value of bytes[start, end) to `out`; returns false (writing nothing) when the
 * masked value is SQL NULL.
 */
export function maskInto(
  strategy: MaskStrategy,
  ctx: MaskContext,
  b: Buffer,
  start: number,
  end: number,
  out: OutputBuffer,
): boolean {
  switch (strategy) {
    case "name":
      tagged(out, "Name ", hash(ctx.key, b, start, end), 12);
      return true;
    case "display-name": {
      // "Company, Person": each part masked like a name, so a contact's full name matches its parts.
      let s = start;
      for (let i = start; i < end - 1; i++)
        if (b[i] === 0x2c && b[i + 1] === 0x20) {
          tagged(out, "Name ", hash(ctx.key, b, s, i), 12);
          out.text(", ");
          s = i + 2;
          i++;
        }
      tagged(out, "Name ", hash(ctx.key, b, s, end), 12);
      return true;
    }
    case "email":
      email(out, emailHash(ctx.key, b, start, end));
      return true;
    case "login":
      if (hasByte(b, 0x40, start, end)) email(out, emailHash(ctx.key, b, start, end));
      else tagged(out, "user-", hash(ctx.key, b, start, end), 12);
      return true;
    case "phone":
      digits10(out, "+999 ", normalizedHash(ctx.key, b, start, end, isDigit, identity));
      return true;
    case "street":
      tagged(out, "Street ", hash(ctx.key, b, start, end), 8);
      return true;
    case "city":
      tagged(out, "City ", hash(ctx.key, b, start, end), 6);
      return true;
    case "zip":
      tagged(out, "Z", hash(ctx.key, b, start, end), 5, true);
      return true;
    case "vat":
      digits10(out, "XX", normalizedHash(ctx.key, b, start, end, isAlnum, upper));
      return true;
    case "bank-account":
      tagged(out, "XX00MASK", normalizedHash(ctx.key, b, start, end, isAlnum, upper), 12, true);
      return true;
    case "text":
      tagged(out, "masked ", hash(ctx.key, b, start, end), 12);
      return true;
    case "prose":
      prose(out, hash(ctx.key, b, start, end), end - start);
      return true;
    case "file-name":
      fileName(out, hash(ctx.key, b, start, end), b, start, end);
      return true;
    case "json":
      out.text(maskJson(ctx, b, start, end));
      return true;
    case "clear":
      return false;
    case "password":
      if (ctx.password === null) return false;
      out.text(ctx.password);
      return true;
  }
}
