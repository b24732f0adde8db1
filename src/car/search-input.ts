/**
 * Turns what a person typed into the canonical value the graph is keyed by, so every spelling
 * of one address finds it: IPv4-mapped, upper-case or uncompressed IPv6; MACs with any
 * separators; host names in any case. Malformed input throws SEARCH_INPUT_INVALID with a message
 * that says what was expected; a valid value the connector never stores (loopback, all-zero MAC)
 * yields a note instead of results.
 */
import { ConnectorError } from '../errors.ts';
import { canonicalIp, ipText } from './normalise/ip.ts';
import { canonicalMac } from './normalise/mac.ts';
import { hostnameKey } from './normalise/hostname.ts';
import type { SearchKind } from './search-types.ts';

export const SEARCH_KINDS: readonly SearchKind[] = ['ip', 'host', 'mac'];

export interface SearchInput {
  kind: SearchKind;
  query: string;
  canonical: string;
  /** False when the value is valid but never stored; `note` says why. */
  searchable: boolean;
  note?: string;
}

/** Parses a search value; throws a ConnectorError with code SEARCH_INPUT_INVALID. */
export function parseSearchInput(kind: string, value: string): SearchInput {
  const query = typeof value === 'string' ? value : '';
  if (kind === 'ip') return parseIp(query);
  if (kind === 'mac') return parseMac(query);
  if (kind === 'host') return parseHost(query);
  throw invalid(`unknown search kind "${kind}"; use ip, host or mac`, kind, query);
}

/**
 * Guesses the kind of a bare value: an IP address, else a MAC address, else a host name. Used
 * when a person types `mde-car search 10.0.0.5` without saying which kind it is.
 */
export function detectSearchKind(value: string): SearchKind {
  if (ipText(value) !== undefined || canonicalIp(value).ok) return 'ip';
  // Four numbers with dots are never a host name (RFC 1123): an IPv4 address written oddly.
  if (DOTTED_NUMBERS.test(value.trim())) return 'ip';
  if (UNPADDED_MAC.test(value.trim())) return 'mac';
  const mac = canonicalMac(value);
  if (mac.ok || (mac.reason !== 'malformed' && mac.reason !== 'empty')) return 'mac';
  return 'host';
}

function parseIp(query: string): SearchInput {
  const ip = canonicalIp(query);
  if (ip.ok) {
    const note =
      ip.scope === 'linkLocal'
        ? 'link-local address: kept on each asset that reported it, never used to link two assets'
        : undefined;
    return { kind: 'ip', query, canonical: ip.ip, searchable: true, ...(note ? { note } : {}) };
  }
  if (ip.reason === 'loopback' || ip.reason === 'unspecified') {
    const canonical = ipText(query) ?? query.trim();
    return {
      kind: 'ip',
      query,
      canonical,
      searchable: false,
      note: `${canonical} is ${IP_WORDS[ip.reason]} address; the connector never records such addresses`,
    };
  }
  const octets = DOTTED_NUMBERS.test(query.trim()) ? query.trim().split('.') : [];
  const inRange = octets.every((octet) => Number(octet) <= 255);
  if (inRange && octets.some((octet) => octet.length > 1 && octet.startsWith('0'))) {
    const decimal = octets.map((octet) => String(Number(octet))).join('.');
    throw invalid(
      `"${query}" has octets with leading zeros, which some systems read as octal; the connector keeps IPv4 ` +
        `only in plain decimal (and drops addresses reported with leading zeros): search for ${decimal} ` +
        'if that is the address meant',
      'ip',
      query,
    );
  }
  throw invalid(
    `"${query}" is not an IP address; give IPv4 like 10.0.0.5 or IPv6 like 2001:db8::5`,
    'ip',
    query,
  );
}

/** Six colon- or dash-separated octets of one or two hex digits, as some tools print MACs. */
const UNPADDED_MAC = /^[0-9a-f]{1,2}([:-])[0-9a-f]{1,2}(\1[0-9a-f]{1,2}){4}$/i;

/** `2:71:3b:5e:54:2c` → `02:71:3b:5e:54:2c`; anything else as it is. */
function padOctets(value: string): string {
  const trimmed = value.trim();
  if (!UNPADDED_MAC.test(trimmed)) return value;
  return trimmed
    .split(/[:-]/)
    .map((octet) => octet.padStart(2, '0'))
    .join(':');
}

/** Four dot-separated runs of digits, the shape of an IPv4 address however written. */
const DOTTED_NUMBERS = /^\d+\.\d+\.\d+\.\d+$/;

/** How a note names an address the connector never records. */
const IP_WORDS: Record<'loopback' | 'unspecified', string> = {
  loopback: 'a loopback',
  unspecified: 'the unspecified',
};
const MAC_WORDS: Partial<Record<string, string>> = {
  allZero: 'an all-zero',
  broadcast: 'the broadcast',
  multicast: 'a multicast',
  placeholder: 'a placeholder',
};

function parseMac(query: string): SearchInput {
  const mac = canonicalMac(padOctets(query));
  if (mac.ok && mac.bits === 48)
    return { kind: 'mac', query, canonical: mac.mac, searchable: true };
  if (mac.ok) {
    return {
      kind: 'mac',
      query,
      canonical: mac.mac,
      searchable: false,
      note: '64-bit (EUI-64) identifiers are kept as asset attributes, not as searchable MAC addresses',
    };
  }
  if (mac.reason === 'malformed' || mac.reason === 'empty') {
    throw invalid(
      `"${query}" is not a MAC address; give 12 hex digits, e.g. 02:aa:bb:00:00:01 or 02-AA-BB-00-00-01`,
      'mac',
      query,
    );
  }
  return {
    kind: 'mac',
    query,
    canonical: query.trim().toLowerCase(),
    searchable: false,
    note: `${MAC_WORDS[mac.reason] ?? 'this'} MAC address identifies no adapter; the connector never links assets by it`,
  };
}

function parseHost(query: string): SearchInput {
  if (/[%*?]/.test(query)) {
    throw invalid(
      `"${query}" holds a wildcard; search takes one exact host name, e.g. desktop-01 or desktop-01.contoso.com`,
      'host',
      query,
    );
  }
  const key = hostnameKey(query);
  if (key === undefined) {
    throw invalid(
      `"${query}" is not a host name; give a DNS name like desktop-01 or desktop-01.contoso.com`,
      'host',
      query,
    );
  }
  return { kind: 'host', query, canonical: key, searchable: true };
}

function invalid(message: string, kind: string, query: string): ConnectorError {
  return new ConnectorError('SEARCH_INPUT_INVALID', message, { details: { kind, query } });
}
