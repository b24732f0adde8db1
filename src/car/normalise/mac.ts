/**
 * MAC address canonicalisation (DESIGN.md §5; field fault B17). Any separator style (none,
 * `-`, `:`, `.`, Cisco `aabb.ccdd.eeff`, spaces) becomes lower-case colon pairs. A 48-bit MAC is
 * a shared vertex key; a 64-bit EUI-64 value is returned as `bits: 64` and the mapper keeps it
 * as an asset attribute only (B17: non-48-bit values never become shared vertices).
 *
 * Decision: a 16-digit value whose first five bytes are zero (e.g. `00000000000000E0`, a
 * tunnel adapter's padded placeholder) is refused as `placeholder`, not kept as EUI-64.
 */

export type MacDropReason =
  'empty' | 'allZero' | 'broadcast' | 'multicast' | 'placeholder' | 'malformed';

export type CanonicalMac =
  { ok: true; mac: string; bits: 48 | 64 } | { ok: false; reason: MacDropReason };

const SEPARATORS = /[\s:.-]/g;

/** Canonical colon-pair form of a MAC address, or why it cannot identify an adapter. */
export function canonicalMac(raw: unknown): CanonicalMac {
  if (raw === null || raw === undefined) return { ok: false, reason: 'empty' };
  if (typeof raw !== 'string') return { ok: false, reason: 'malformed' };

  const text = raw.trim();
  if (text === '' || text === '-') return { ok: false, reason: 'empty' };
  if (!hasConsistentGroups(text)) return { ok: false, reason: 'malformed' };

  const hex = text.replace(SEPARATORS, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || (hex.length !== 12 && hex.length !== 16)) {
    return { ok: false, reason: 'malformed' };
  }
  if (/^0+$/.test(hex)) return { ok: false, reason: 'allZero' };
  if (/^f+$/.test(hex)) return { ok: false, reason: 'broadcast' };
  if (hex.length === 16 && hex.startsWith('0000000000')) {
    return { ok: false, reason: 'placeholder' };
  }
  // The I/G bit of the first octet marks a group address: no adapter owns it as its identity.
  if ((parseInt(hex.slice(0, 2), 16) & 1) === 1) return { ok: false, reason: 'multicast' };

  const mac = hex.match(/../g)!.join(':');
  return { ok: true, mac, bits: hex.length === 12 ? 48 : 64 };
}

/**
 * Separated spellings must group hex digits evenly (pairs, or Cisco quads), so that a value
 * like `0-0D3A-94` is refused instead of being glued into a plausible MAC.
 */
function hasConsistentGroups(text: string): boolean {
  const groups = text.split(/[\s:.-]/);
  if (groups.length === 1) return true;
  const size = groups[0]!.length;
  if (size !== 2 && size !== 4) return false;
  return groups.every((group) => group.length === size);
}
