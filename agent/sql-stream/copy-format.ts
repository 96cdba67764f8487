/**
 * PostgreSQL's COPY text format as pg_dump writes it: `COPY schema.table (col, …) FROM stdin;`, then
 * one line per row with tab-separated fields, `\N` for NULL, backslash escapes, and a `\.` line.
 */

export interface CopyHeader {
  schema: string;
  table: string;
  columns: string[];
}

const IDENT = `(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const HEADER = new RegExp(String.raw`^COPY (${IDENT})\.(${IDENT}) \((.*)\) FROM stdin;$`);

export function unquoteIdentifier(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replaceAll('""', '"') : text;
}

/** Splits `a, "b c", d` into identifiers, respecting quotes. */
export function splitIdentifiers(list: string): string[] {
  const out: string[] = [];
  const pattern = new RegExp(String.raw`\s*(${IDENT})\s*(?:,|$)`, "y");
  while (pattern.lastIndex < list.length) {
    const match = pattern.exec(list);
    if (!match) break;
    out.push(unquoteIdentifier(match[1]!));
  }
  return out;
}

export function parseCopyHeader(line: string): CopyHeader | undefined {
  const match = HEADER.exec(line);
  if (!match) return undefined;
  return {
    schema: unquoteIdentifier(match[1]!),
    table: unquoteIdentifier(match[2]!),
    columns: match[3]!.trim() === "" ? [] : splitIdentifiers(match[3]!),
  };
}

export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

export function copyHeaderLine(header: CopyHeader): string {
  const cols = header.columns.map(quoteIdentifier).join(", ");
  return `COPY ${quoteIdentifier(header.schema)}.${quoteIdentifier(header.table)} (${cols}) FROM stdin;\n`;
}

export const TAB = 0x09;
export const NEWLINE = 0x0a;
export const BACKSLASH = 0x5c;

/** True when bytes[start, end) is `\N`, COPY's NULL. */
export function isNull(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start === 2 && bytes[start] === BACKSLASH && bytes[start + 1] === 0x4e;
}

const ESCAPES: Record<number, number> = { 98: 8, 102: 12, 110: 10, 114: 13, 116: 9, 118: 11 };

/** The raw bytes of an escaped field (COPY text rules: \b \f \n \r \t \v, octal, \xhh, \\ and \c = c). */
export function unescapeField(bytes: Uint8Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c !== BACKSLASH || i + 1 >= end) {
      out[n++] = c;
      continue;
    }
    const next = bytes[++i]!;
    if (next >= 0x30 && next <= 0x37) {
      let value = next - 0x30;
      for (let k = 0; k < 2 && i + 1 < end && bytes[i + 1]! >= 0x30 && bytes[i + 1]! <= 0x37; k++)
        value = value * 8 + (bytes[++i]! - 0x30);
      out[n++] = value & 0xff;
    } else if (next === 0x78 && i + 1 < end && isHex(bytes[i + 1]!)) {
      let value = hexValue(bytes[++i]!);
      if (i + 1 < end && isHex(bytes[i + 1]!)) value = value * 16 + hexValue(bytes[++i]!);
      out[n++] = value;
    } else {
      out[n++] = ESCAPES[next] ?? next;
    }
  }
  return out.subarray(0, n);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/** Escapes a value for a COPY text field. */
export function escapeField(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c]!);
}
