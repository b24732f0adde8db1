/**
 * Defender timestamps: ISO-8601 UTC with 0 to 7 fractional digits (mde-api.md §3.3, field
 * fault B08), and the TVM export's `YYYY-MM-DD HH:MM:SS[.fffffff]` without `T` or zone. JS
 * `Date` keeps only milliseconds, so instants are also kept as 100 ns ticks (bigint) for exact
 * ordering, and the original string is kept wherever it becomes a cursor. Only UTC APIs are
 * used: results do not depend on the host's time zone (B22).
 */

export interface MdeInstant {
  /** The string as the service sent it. */
  raw: string;
  /** Milliseconds since the epoch (sub-millisecond digits truncated). */
  epochMs: number;
  /** 100-nanosecond ticks since the epoch: exact for every Defender value. */
  ticks: bigint;
}

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses a Defender timestamp; undefined for null, empty or unparseable input. */
export function parseMdeTime(value: unknown): MdeInstant | undefined {
  if (typeof value !== 'string') return undefined;
  const raw = value.trim();
  const m = PATTERN.exec(raw);
  if (!m) return undefined;

  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const baseMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(baseMs) || !isCalendarValid(Number(y), Number(mo), Number(d))) return undefined;

  const offsetMs = zoneOffsetMs(zone);
  if (offsetMs === undefined) return undefined;
  const fracTicks = BigInt((frac + '0000000').slice(0, 7));
  const ticks = BigInt(baseMs - offsetMs) * 10_000n + fracTicks;
  return { raw: value, epochMs: Number(ticks / 10_000n), ticks };
}

/** Epoch milliseconds of a Defender timestamp, or undefined. */
export function toEpochMs(value: unknown): number | undefined {
  return parseMdeTime(value)?.epochMs;
}

/** Compares two Defender timestamps exactly (100 ns); unparseable values sort first. */
export function compareMdeTime(a: string | null | undefined, b: string | null | undefined): number {
  const ta = parseMdeTime(a)?.ticks;
  const tb = parseMdeTime(b)?.ticks;
  if (ta === undefined || tb === undefined) return ta === tb ? 0 : ta === undefined ? -1 : 1;
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/** Formats ticks as ISO UTC with 7 fractional digits, the form OData filters accept. */
export function formatTicks(ticks: bigint): string {
  const ms = Number(ticks / 10_000n);
  const rest = ticks % 10_000_000n;
  const iso = new Date(ms).toISOString().slice(0, 19);
  return `${iso}.${rest.toString().padStart(7, '0')}Z`;
}

/** ISO UTC (`…Z`, milliseconds) for an instant; the only way dates become text here. */
export function isoUtc(date: Date | number): string {
  return new Date(date).toISOString();
}

function zoneOffsetMs(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return (m[1] === '-' ? -1 : 1) * minutes * 60_000;
}

function isCalendarValid(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
