/**
 * Host name keys (DESIGN.md §5): the lower-case DNS name, without a trailing dot. Defender
 * reports both short names (`desktop-01`) and FQDNs (`host-1.example.test`); both are kept as
 * reported, and search lets a short name find an FQDN whose first label matches.
 */

/** Characters CAR refuses in a hostname `external_id` (importSchema_v2 hostname pattern). */
const FORBIDDEN = /[&#^|?<>[\]\s/\\]/;

/** The hostname vertex key for a DNS name, or undefined when the value is not a host name. */
export function hostnameKey(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const key = name.trim().replace(/\.$/, '').toLowerCase();
  if (key === '' || key === '-' || key.length > 253) return undefined;
  if (FORBIDDEN.test(key) || key.startsWith('.') || key.includes('..')) return undefined;
  return key;
}

/** The first label of a host name (`desktop-01` for `desktop-01.contoso.com`). */
export function shortHostname(key: string): string {
  const dot = key.indexOf('.');
  return dot === -1 ? key : key.slice(0, dot);
}
