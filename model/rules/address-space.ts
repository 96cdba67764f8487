import { Address4, Address6 } from "ip-address";

/**
 * How much of the Internet a list of CIDR blocks admits, judged by the address space its union covers
 * rather than by spelling: `0.0.0.0/1` + `128.0.0.0/1` is the whole IPv4 Internet as surely as
 * `0.0.0.0/0`, and `2000::/3` is every global IPv6 unicast address.
 */
export type Family = "IPv4" | "IPv6";

const BITS: Readonly<Record<Family, number>> = { IPv4: 32, IPv6: 128 };

/**
 * The most of a family's address space SSH may be opened to: 1/256, an IPv4 /8 (16.7 million
 * addresses, e.g. 10.0.0.0/8 for a VPN). Wider than that no longer names a network anyone controls.
 */
export const MAX_SSH_ADDRESS_FRACTION = 1 / 256;

interface Range {
  family: Family;
  start: bigint;
  end: bigint;
  /** Index of the source in the list it came from. */
  index: number;
}

/** A CIDR block (or a bare address) as a range; undefined when it is neither. */
export function rangeOf(cidr: string, index = 0): Range | undefined {
  const text = cidr.trim();
  const parsed = Address4.isValid(text)
    ? { family: "IPv4" as const, address: new Address4(text) }
    : Address6.isValid(text)
      ? { family: "IPv6" as const, address: new Address6(text) }
      : undefined;
  if (!parsed) return undefined;
  const { address, family } = parsed;
  return { family, start: address.startAddress().bigInt(), end: address.endAddress().bigInt(), index };
}

export interface Coverage {
  family: Family;
  /** Fraction of the family's address space the union admits, 0..1. */
  fraction: number;
  /** Indexes of the sources of this family, widest first. */
  sources: number[];
}

/** Per family, the share of its address space that the union of `cidrs` covers (overlaps counted once). */
export function addressCoverage(cidrs: readonly string[]): Coverage[] {
  const ranges = cidrs.flatMap((c, i) => rangeOf(c, i) ?? []);
  return (["IPv4", "IPv6"] as const).flatMap((family) => {
    const own = ranges.filter((r) => r.family === family).sort((a, b) => (a.start < b.start ? -1 : 1));
    if (own.length === 0) return [];
    let covered = 0n;
    let start = own[0]!.start;
    let end = own[0]!.end;
    for (const r of own.slice(1)) {
      if (r.start <= end + 1n) end = r.end > end ? r.end : end;
      else {
        covered += end - start + 1n;
        start = r.start;
        end = r.end;
      }
    }
    covered += end - start + 1n;
    const size = (r: Range) => r.end - r.start;
    const sources = [...own].sort((a, b) =>
      size(b) > size(a) ? 1 : size(b) < size(a) ? -1 : a.index - b.index,
    );
    // Scale down before converting so that IPv6 counts stay exact enough for a ratio.
    const shift = BigInt(Math.max(0, BITS[family] - 52));
    const fraction = Number(covered >> shift) / Number((1n << BigInt(BITS[family])) >> shift);
    return [{ family, fraction, sources: sources.map((r) => r.index) }];
  });
}

/** The families whose SSH exposure is broader than MAX_SSH_ADDRESS_FRACTION. */
export function broadCoverage(cidrs: readonly string[]): Coverage[] {
  return addressCoverage(cidrs).filter((c) => c.fraction > MAX_SSH_ADDRESS_FRACTION);
}

/** "100% of the IPv4 address space", "12.5% of …", "0.39% of …", for messages. */
export function describeCoverage(c: Coverage): string {
  const percent = c.fraction * 100;
  const shown =
    percent >= 10 ? percent.toFixed(0) : percent >= 1 ? percent.toFixed(1) : percent.toPrecision(2);
  return `${shown}% of the ${c.family} address space`;
}
