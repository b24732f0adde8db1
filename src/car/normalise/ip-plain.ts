/**
 * Hand-read fast paths of IP canonicalisation for the plain spellings almost every payload uses:
 * a dotted quad, or IPv6 hex groups with at most one `::`. They answer exactly as ipaddr.js
 * does for those strings (ranges are read from its own tables) and refuse anything else, which
 * then takes the general path in ip.ts. Addresses are held as numbers, not ipaddr.js objects,
 * because canonicalisation runs for every address of every machine and network row.
 */
import ipaddr from 'ipaddr.js';

type Subnet<T> = [T, number];
type RangeTable<T> = Record<string, Subnet<T> | Subnet<T>[]>;

/** A special range as [name, network parts, prefix length]. */
type Range = [string, number[], number];

/**
 * ipaddr.js's special ranges of one family (not in its typings), in the order `subnetMatch`
 * tries them: key order, then list order; a single pair stands for a list of one.
 */
function rangesOf<T>(table: RangeTable<T>, partsOf: (address: T) => number[]): Range[] {
  return Object.entries(table).flatMap(([name, list]) => {
    const subnets = (list[0] instanceof Array ? list : [list]) as Subnet<T>[];
    return subnets.map(([network, bits]): Range => [name, partsOf(network), bits]);
  });
}

const IPV4_RANGES = rangesOf(
  (ipaddr.IPv4.prototype as unknown as { SpecialRanges: RangeTable<ipaddr.IPv4> }).SpecialRanges,
  (network) => network.octets,
);
const IPV6_RANGES = rangesOf(
  (ipaddr.IPv6.prototype as unknown as { SpecialRanges: RangeTable<ipaddr.IPv6> }).SpecialRanges,
  (network) => network.parts,
);

/** ipaddr.js's `matchCIDR`: the first `bits` bits of both part lists agree. */
function matchesPrefix(
  parts: ArrayLike<number>,
  network: number[],
  partBits: number,
  bits: number,
): boolean {
  let left = bits;
  for (let part = 0; left > 0; part += 1) {
    const shift = Math.max(partBits - left, 0);
    if (parts[part]! >> shift !== network[part]! >> shift) return false;
    left -= partBits;
  }
  return true;
}

/** What ipaddr.js's `range()` answers for an address given as its parts. */
function rangeOf(parts: ArrayLike<number>, ranges: Range[], partBits: number): string {
  for (const [name, network, bits] of ranges) {
    if (matchesPrefix(parts, network, partBits, bits)) return name;
  }
  return 'unicast';
}

/** Octets of the last dotted quad read; reused, never handed out. */
const octets = [0, 0, 0, 0];

/**
 * The ipaddr.js range of `text` when it is exactly four decimal octets of at most 255 without
 * leading zeros (what ip.ts's DOTTED_QUAD accepts); undefined otherwise. Such a text is
 * already its own canonical form.
 */
export function plainIpv4Range(text: string): string | undefined {
  let octet = 0;
  let digits = 0;
  let index = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x2e) {
      if (digits === 0 || index === 3) return undefined;
      octets[index] = octet;
      index += 1;
      octet = 0;
      digits = 0;
      continue;
    }
    if (code < 0x30 || code > 0x39) return undefined;
    // A leading zero is refused, as DOTTED_QUAD refuses it (octal in some parsers).
    if (digits === 3 || (digits === 1 && octet === 0)) return undefined;
    octet = octet * 10 + (code - 0x30);
    digits += 1;
    if (octet > 255) return undefined;
  }
  if (digits === 0 || index !== 3) return undefined;
  octets[3] = octet;
  return rangeOf(octets, IPV4_RANGES, 8);
}

/** Groups of the last IPv6 text read; reused, never handed out. */
const groups = [0, 0, 0, 0, 0, 0, 0, 0];

/** The plain IPv6 text read by `plainIpv6`: its ipaddr.js range and RFC 5952 form. */
export interface PlainIpv6 {
  range: string;
  text: string;
}

/**
 * Range and RFC 5952 text of `text` when it is 1–4 hex digit groups separated by `:`, eight
 * of them or fewer than eight with one `::` (no zone, brackets or embedded IPv4); undefined
 * otherwise.
 */
export function plainIpv6(text: string): PlainIpv6 | undefined {
  if (!readIpv6Groups(text)) return undefined;
  return { range: rangeOf(groups, IPV6_RANGES, 16), text: rfc5952Text() };
}

/** Fills `groups` from `text`; false when the text is not of the plain shape. */
function readIpv6Groups(text: string): boolean {
  const length = text.length;
  const gap = text.indexOf('::');
  if (gap !== -1 && text.indexOf('::', gap + 1) !== -1) return false;
  const head = gap === -1 ? text : text.slice(0, gap);
  const tail = gap === -1 ? '' : text.slice(gap + 2);
  if (gap === -1 && length === 0) return false;

  const headCount = readGroupList(head, 0);
  if (headCount < 0) return false;
  if (gap === -1) return headCount === 8;

  const tailCount = countGroups(tail);
  if (tailCount < 0 || headCount + tailCount > 7) return false;
  const tailStart = 8 - tailCount;
  for (let i = headCount; i < tailStart; i += 1) groups[i] = 0;
  return readGroupList(tail, tailStart) === tailCount;
}

/** Groups in a `:`-separated list ('' has none), or -1 when one is not 1–4 hex digits. */
function countGroups(list: string): number {
  if (list === '') return 0;
  let count = 1;
  for (let i = 0; i < list.length; i += 1) if (list.charCodeAt(i) === 0x3a) count += 1;
  return count > 8 ? -1 : count;
}

/** Reads a `:`-separated list of groups into `groups` from `start`; their count, or -1. */
function readGroupList(list: string, start: number): number {
  if (list === '') return 0;
  let index = start;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= list.length; i += 1) {
    const code = i === list.length ? 0x3a : list.charCodeAt(i);
    if (code === 0x3a) {
      if (digits === 0 || index >= 8) return -1;
      groups[index] = value;
      index += 1;
      value = 0;
      digits = 0;
      continue;
    }
    const nibble = hexValue(code);
    if (nibble < 0 || digits === 4) return -1;
    value = value * 16 + nibble;
    digits += 1;
  }
  return index - start;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/** RFC 5952 text of `groups`: the longest run of two or more zero groups (leftmost) as `::`. */
function rfc5952Text(): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end += 1;
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }
  if (bestStart < 0) return groups.map(hex).join(':');
  const before = groups.slice(0, bestStart).map(hex).join(':');
  const after = groups
    .slice(bestStart + bestLength)
    .map(hex)
    .join(':');
  return `${before}::${after}`;
}

function hex(group: number): string {
  return group.toString(16);
}
