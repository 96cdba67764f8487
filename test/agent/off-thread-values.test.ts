import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OffThreadValues, registeringOffThread } from "../../agent/mask/off-thread-values.ts";
import { replayBatch, ValueBatch } from "../../agent/mask/value-batch.ts";
import { ValueHashes, type ValueSink } from "../../agent/mask/value-hashes.ts";
import { normalizeText } from "../../agent/mask/value-words.ts";
import { MASK_STRATEGIES, type MaskStrategy } from "../../model/data/masking.ts";

/** A COPY field as pg_dump writes it: backslash, newline and tab escaped. */
const field = (text: string) =>
  Buffer.from(text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t"));

const WORDS = [
  "Anna",
  "Peeters",
  "José",
  "Müller",
  "Rue",
  "de",
  "la",
  "Loi",
  "Çelik",
  "O'Brien",
  "12",
  "4700",
];

/** Source values as a large source holds them: names, addresses, e-mails, phones, notes, repeats, kept rows. */
function sourceValues(n: number): { bytes: Buffer; kept: boolean; strategy: MaskStrategy }[] {
  const random = randomBytes(4 * n);
  const pick = (i: number, k: number) => WORDS[random[(4 * i + k) % random.length]! % WORDS.length]!;
  const values: { bytes: Buffer; kept: boolean; strategy: MaskStrategy }[] = [];
  for (let i = 0; i < n; i++) {
    const strategy = MASK_STRATEGIES[random[4 * i]! % MASK_STRATEGIES.length]!;
    const text =
      i % 7 === 0
        ? `${pick(i, 1)}\t${pick(i, 2)}\nline ${i} \\ end`
        : i % 5 === 0
          ? `+32 470 ${String(i).padStart(6, "0")}`
          : `${pick(i, 1)} ${pick(i, 2)}-${i % 1000} <${pick(i, 3).toLowerCase()}.${i % 1000}@mail.example>`;
    values.push({ bytes: field(text), kept: i % 97 === 0, strategy });
  }
  return values;
}

function registerAll(sink: ValueSink, values: ReturnType<typeof sourceValues>): void {
  for (const v of values) sink.add(v.bytes, 0, v.bytes.length, v.kept, v.strategy);
}

describe("registering source values on a worker thread", () => {
  it("learns exactly what registering in this thread learns, over many batches", async () => {
    // About 12 MB of values: a dozen batches, more than the worker may hold before the stream waits.
    const values = sourceValues(240_000);
    const seed = 0x5eed;
    const here = new ValueHashes(seed);
    registerAll(here, values);

    const there = new ValueHashes(seed);
    const sink = new OffThreadValues(there);
    let waited = 0;
    for (let i = 0; i < values.length; i += 10_000) {
      registerAll(sink, values.slice(i, i + 10_000));
      const ready = sink.ready();
      if (ready) {
        waited++;
        await ready;
      }
    }
    await sink.finish();
    await sink.close();

    expect(there.state()).toEqual(here.state());
    expect(there.distinctMasked).toBe(here.distinctMasked);
    for (const cell of ["Anna Peeters-7 <anna.7@mail.example>", "+32 470 000010", "note: José Müller-3"]) {
      expect(there.isMaskedValue(cell)).toBe(here.isMaskedValue(cell));
      expect(there.patterns.find(normalizeText(cell))).toEqual(here.patterns.find(normalizeText(cell)));
    }
    expect(waited).toBeGreaterThan(0);
  });

  it("names the failure of the worker instead of hanging, and stops it", async () => {
    const target = new ValueHashes(1);
    const run = registeringOffThread(target, async (sink) => {
      sink.add(Buffer.from("Anna Peeters"), 0, 12, false, "no-such-strategy" as MaskStrategy);
      for (let i = 0; i < 40; i++) {
        sink.add(Buffer.alloc(64 * 1024, 0x61), 0, 64 * 1024, false, "name");
        await sink.ready?.();
      }
    });
    await expect(run).rejects.toThrow(
      /registering the source values for the leak scan failed: value batch: unknown strategy 255/,
    );
    expect(target.distinctMasked).toBe(0);
  });

  it("stops the worker when the copy fails, and adopts nothing", async () => {
    const target = new ValueHashes(2);
    const run = registeringOffThread(target, async (sink) => {
      registerAll(sink, sourceValues(1000));
      throw new Error("pg_dump: connection lost");
    });
    await expect(run).rejects.toThrow("pg_dump: connection lost");
    expect(target.distinctMasked).toBe(0);
  });
});

describe("value batches", () => {
  it("hand every value back in order, whatever its length", () => {
    const batch = new ValueBatch(64);
    const long = Buffer.alloc(200, 0x62);
    batch.add(Buffer.from("xxAnnaxx"), 2, 6, false, "name");
    batch.add(Buffer.alloc(0), 0, 0, true, "email");
    expect(batch.fits(long.length)).toBe(false);
    batch.add(long, 0, long.length, true, "prose");
    const { buffer, length } = batch.take();
    expect(batch.length).toBe(0);
    const seen: [string, boolean, MaskStrategy][] = [];
    replayBatch(new Uint8Array(buffer, 0, length), {
      maskedColumns: new Set(),
      add: (b, s, e, kept, strategy) => seen.push([Buffer.from(b.subarray(s, e)).toString(), kept, strategy]),
    });
    expect(seen).toEqual([
      ["Anna", false, "name"],
      ["", true, "email"],
      ["b".repeat(200), true, "prose"],
    ]);
  });

  it("refuses a batch cut short", () => {
    const batch = new ValueBatch(64);
    batch.add(Buffer.from("Anna Peeters"), 0, 12, false, "name");
    const { buffer, length } = batch.take();
    expect(() =>
      replayBatch(new Uint8Array(buffer, 0, length - 1), { maskedColumns: new Set(), add: () => {} }),
    ).toThrow(/runs past its end/);
  });
});
