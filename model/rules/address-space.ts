import { Address4, Address6 } from "ip-address";

/**
 * How much of the Internet a list of CIDR blocks admits, judged by the public address space its union
 * covers rather than by spelling: `0.0.0.0/1` + `128.0.0.0/1` is the whole IPv4 Internet as surely as
 * `0.0.0.0/0`, and `2000::/3` is every global IPv6 unicast address. Private and reserved ranges do not
 * count: nobody on the Internet connects from them, so a VPN's 10.0.0.0/8 exposes nothing.
 */
export type Family = "IPv4" | "IPv6";

/**
 * The most of a family's public address space SSH may be opened to: 1/256, about 14 million IPv4
 * addresses. Wider than that no longer names a network anyone controls.
 */
export const MAX_SSH_ADDRESS_FRACTION = 1 / 256;

/** Where Internet traffic can come from: IPv4 without RFC 1918, CGNAT, loopback, link-local, multicast and reserved; IPv6 global unicast. */
const NOT_PUBLIC_IPV4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/3",
];
const PUBLIC_IPV6 = "2000::/3";

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
  /** Fraction of the family's public address space the union admits, 0..1. */
  fraction: number;
  /** Indexes of the sources of this family that admit public addresses, widest first. */
  sources: number[];
}

type Interval = [start: bigint, end: bigint];

/** Sorted, disjoint intervals covering the same addresses as `ranges`. */
function merge(ranges: readonly Interval[]): Interval[] {
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Interval[] = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1] + 1n) last[1] = end > last[1] ? end : last[1];
    else out.push([start, end]);
  }
  return out;
}

function overlap(a: Interval, b: Interval): bigint {
  const start = a[0] > b[0] ? a[0] : b[0];
  const end = a[1] < b[1] ? a[1] : b[1];
  return end >= start ? end - start + 1n : 0n;
}

const interval = (cidr: string): Interval => {
  const r = rangeOf(cidr)!;
  return [r.start, r.end];
};
const size = ([start, end]: Interval) => end - start + 1n;

/** The public part of each family, as disjoint intervals. */
const PUBLIC: Readonly<Record<Family, Interval[]>> = {
  IPv4: (() => {
    const out: Interval[] = [];
    let next = 0n;
    for (const [start, end] of merge(NOT_PUBLIC_IPV4.map(interval))) {
      if (start > next) out.push([next, start - 1n]);
      next = end + 1n;
    }
    if (next <= 2n ** 32n - 1n) out.push([next, 2n ** 32n - 1n]);
    return out;
  })(),
  IPv6: [interval(PUBLIC_IPV6)],
};

function publicAddresses(intervals: readonly Interval[], family: Family): bigint {
  let count = 0n;
  for (const i of intervals) for (const p of PUBLIC[family]) count += overlap(i, p);
  return count;
}

/** Per family, the share of its public address space that the union of `cidrs` covers (overlaps counted once). */
export function addressCoverage(cidrs: readonly string[]): Coverage[] {
  const ranges = cidrs.flatMap((c, i) => rangeOf(c, i) ?? []);
  return (["IPv4", "IPv6"] as const).flatMap((family) => {
    const own = ranges.filter((r) => r.family === family);
    if (own.length === 0) return [];
    const exposed = (r: Range) => publicAddresses([[r.start, r.end]], family);
    const sources = own
      .filter((r) => exposed(r) > 0n)
      .sort((a, b) => (exposed(b) > exposed(a) ? 1 : exposed(b) < exposed(a) ? -1 : a.index - b.index))
      .map((r) => r.index);
    const covered = publicAddresses(merge(own.map((r) => [r.start, r.end])), family);
    const total = PUBLIC[family].reduce((sum, i) => sum + size(i), 0n);
    // Scale both down to 52 bits before converting, so the ratio stays exact enough for IPv6 counts.
    const shift = BigInt(Math.max(0, total.toString(2).length - 52));
    return [{ family, fraction: Number(covered >> shift) / Number(total >> shift), sources }];
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
  return `${shown}% of the public ${c.family} Internet`;
}
