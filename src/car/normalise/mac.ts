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

  const plain = plainMac(raw);
  if (plain !== undefined) return plain;

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

/** Nibbles of the last plain MAC read; reused, never handed out. */
const nibbles = new Array<number>(12).fill(0);

/**
 * The common spellings, read by hand: exactly 12 hex digits, or six hex pairs joined by `:`,
 * `-` or `.` (separators may differ, as the general path allows). Gives what the general path
 * gives for those strings; undefined for anything else, which takes the general path.
 */
function plainMac(raw: string): CanonicalMac | undefined {
  const step = raw.length === 12 ? 2 : raw.length === 17 ? 3 : 0;
  if (step === 0) return undefined;
  let orAll = 0;
  let andAll = 15;
  for (let pair = 0; pair < 6; pair += 1) {
    const at = pair * step;
    if (step === 3 && pair > 0 && !isPlainSeparator(raw.charCodeAt(at - 1))) return undefined;
    const high = hexNibble(raw.charCodeAt(at));
    const low = hexNibble(raw.charCodeAt(at + 1));
    if (high < 0 || low < 0) return undefined;
    nibbles[pair * 2] = high;
    nibbles[pair * 2 + 1] = low;
    orAll |= high | low;
    andAll &= high & low;
  }
  if (orAll === 0) return { ok: false, reason: 'allZero' };
  if (andAll === 15) return { ok: false, reason: 'broadcast' };
  if ((nibbles[1]! & 1) === 1) return { ok: false, reason: 'multicast' };
  return { ok: true, mac: colonPairs(), bits: 48 };
}

function isPlainSeparator(code: number): boolean {
  return code === 0x3a || code === 0x2d || code === 0x2e; // : - .
}

function hexNibble(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

const HEX_DIGITS = '0123456789abcdef';

function colonPairs(): string {
  let mac = '';
  for (let i = 0; i < 12; i += 2) {
    if (i > 0) mac += ':';
    mac += HEX_DIGITS[nibbles[i]!]! + HEX_DIGITS[nibbles[i + 1]!]!;
  }
  return mac;
}
