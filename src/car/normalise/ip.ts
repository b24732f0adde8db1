/**
 * IP address canonicalisation (DESIGN.md §5 normalisation contract; field faults B14, B16).
 * Every textual form of one address yields the same key: IPv4-mapped IPv6 becomes IPv4, IPv6 is
 * lower-case and compressed (RFC 5952), a zone index (`%eth0`) is dropped. Values that do not
 * name a host (empty, `-`, unspecified, loopback) are refused with a reason the caller counts.
 * Plain spellings take a hand-read fast path (ip-plain.ts) that answers as ipaddr.js does.
 */
import ipaddr from 'ipaddr.js';
import { plainIpv4Range, plainIpv6 } from './ip-plain.ts';

export type IpScope =
  'public' | 'private' | 'linkLocal' | 'cgnat' | 'multicast' | 'broadcast' | 'reserved';

export type IpDropReason = 'empty' | 'placeholder' | 'unspecified' | 'loopback' | 'malformed';

export type CanonicalIp =
  { ok: true; ip: string; family: 4 | 6; scope: IpScope } | { ok: false; reason: IpDropReason };

/** Strings real payloads use for "no address" (B14). */
const PLACEHOLDERS = new Set(['-', '--', 'n/a', 'na', 'null', 'none', 'unknown', '(null)']);

/** ipaddr.js range names mapped onto the scopes the graph cares about. */
const SCOPE_BY_RANGE: Record<string, IpScope> = {
  unicast: 'public',
  private: 'private',
  uniqueLocal: 'private',
  linkLocal: 'linkLocal',
  carrierGradeNat: 'cgnat',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

/** Canonical text, family and scope of an IP address, or why it is not one worth keeping. */
export function canonicalIp(raw: unknown): CanonicalIp {
  if (raw === null || raw === undefined) return { ok: false, reason: 'empty' };
  if (typeof raw !== 'string') return { ok: false, reason: 'malformed' };

  const plain = plainAddress(raw);
  if (plain !== undefined) return plain;

  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  if (PLACEHOLDERS.has(text.toLowerCase())) return { ok: false, reason: 'placeholder' };

  const address = parseStrict(text);
  if (!address) return { ok: false, reason: 'malformed' };

  const range = address.range();
  if (range === 'unspecified') return { ok: false, reason: 'unspecified' };
  if (range === 'loopback') return { ok: false, reason: 'loopback' };

  const scope = SCOPE_BY_RANGE[range] ?? 'reserved';
  if (address.kind() === 'ipv4') return { ok: true, ip: address.toString(), family: 4, scope };
  return { ok: true, ip: (address as ipaddr.IPv6).toRFC5952String(), family: 6, scope };
}

/** Canonical text of any valid address, including loopback and unspecified ones. */
export function ipText(raw: string): string | undefined {
  const address = parseStrict(raw.trim());
  if (!address) return undefined;
  return address.kind() === 'ipv4'
    ? address.toString()
    : (address as ipaddr.IPv6).toRFC5952String();
}

/**
 * Parses dotted-quad IPv4 (no hex, octal or short forms, which ipaddr.js would accept) or any
 * IPv6 spelling, dropping a zone index and unwrapping IPv4-mapped IPv6.
 */
function parseStrict(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const withoutZone = text.replace(/%.*$/, '').replace(/^\[(.*)\]$/, '$1');
  if (withoutZone.includes(':')) {
    const v6 = parseIpv6(withoutZone);
    return v6?.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  }
  const octets = DOTTED_QUAD.exec(withoutZone);
  if (!octets) return undefined;
  const bytes = octets.slice(1).map(Number);
  return bytes.every((byte) => byte <= 255) ? new ipaddr.IPv4(bytes) : undefined;
}

/** Four decimal octets without leading zeros (which some parsers read as octal). */
const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * The common cases, done without ipaddr.js objects: `raw` is exactly a plain dotted quad or
 * plain IPv6 text (ip-plain.ts) that the general path would read without trimming, unzoning
 * or unwrapping. Undefined for anything else, which then takes the general path.
 */
function plainAddress(raw: string): CanonicalIp | undefined {
  const v4Range = plainIpv4Range(raw);
  if (v4Range !== undefined) return fromRange(v4Range, raw, 4);
  if (!raw.includes(':')) return undefined;
  const v6 = plainIpv6(raw);
  // An IPv4-mapped address becomes IPv4 on the general path.
  if (v6 === undefined || v6.range === 'ipv4Mapped') return undefined;
  return fromRange(v6.range, v6.text, 6);
}

function fromRange(range: string, ip: string, family: 4 | 6): CanonicalIp {
  if (range === 'unspecified') return { ok: false, reason: 'unspecified' };
  if (range === 'loopback') return { ok: false, reason: 'loopback' };
  return { ok: true, ip, family, scope: SCOPE_BY_RANGE[range] ?? 'reserved' };
}

function parseIpv6(text: string): ipaddr.IPv6 | undefined {
  try {
    return ipaddr.IPv6.parse(text);
  } catch {
    // Not an IPv6 address: the caller reports it as malformed and counts it.
    return undefined;
  }
}
