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
  if (readCommonShape(value)) {
    const ticks = BigInt(shapeSecondMs) * 10_000n + BigInt(shapeFracTicks);
    return { raw: value, epochMs: epochMsOfShape(), ticks };
  }

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
  if (typeof value === 'string' && readCommonShape(value)) return epochMsOfShape();
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
  return day <= daysInMonth(year, month);
}

/**
 * Days in a month of the proleptic Gregorian calendar, as `Date.UTC(year, month, 0)` counts
 * them: like every `Date.UTC` year, 0 to 99 mean 1900 to 1999.
 */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  const fullYear = year >= 0 && year <= 99 ? 1900 + year : year;
  const isLeap = fullYear % 4 === 0 && (fullYear % 100 !== 0 || fullYear % 400 === 0);
  return isLeap ? 29 : 28;
}

/*
 * Fast path for the shape nearly every Defender value has, `YYYY-MM-DDTHH:MM:SS[.f…]Z`
 * exactly (upper-case T and Z, 1 to 9 fractional digits, no spaces): read by hand, it gives
 * what PATTERN gives for those strings. Anything else takes the general path. The fields are
 * left in two module variables rather than a new object, since this runs for every record.
 */
let shapeSecondMs = 0;
let shapeFracTicks = 0;

const SHAPE_MIN_LENGTH = 20; // 2024-03-01T10:00:00Z
const SHAPE_MAX_LENGTH = 30; // 2024-03-01T10:00:00.123456789Z
const FRACTION_DIGITS = 7;

/** True when `value` has the common shape and names a calendar date; sets the shape fields. */
function readCommonShape(value: string): boolean {
  const length = value.length;
  if (length < SHAPE_MIN_LENGTH || length > SHAPE_MAX_LENGTH) return false;
  if (value.charCodeAt(length - 1) !== 0x5a) return false; // Z
  if (!hasSeparatorsAt(value)) return false;

  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  if ((year | month | day | hour | minute | second) < 0) return false;

  const fracTicks = fractionTicks(value, length);
  if (fracTicks < 0 || !isCalendarValid(year, month, day)) return false;
  const secondMs = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(secondMs)) return false;

  shapeSecondMs = secondMs;
  shapeFracTicks = fracTicks;
  return true;
}

function hasSeparatorsAt(value: string): boolean {
  return (
    value.charCodeAt(4) === 0x2d && // -
    value.charCodeAt(7) === 0x2d &&
    value.charCodeAt(10) === 0x54 && // T
    value.charCodeAt(13) === 0x3a && // :
    value.charCodeAt(16) === 0x3a
  );
}

/** The decimal number of `count` digits at `start`, or -1 when one of them is not a digit. */
function digitsAt(value: string, start: number, count: number): number {
  let number = 0;
  for (let i = start; i < start + count; i += 1) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/** 100 ns ticks of the fraction between the seconds and `Z` (digits past 7 are cut), or -1. */
function fractionTicks(value: string, length: number): number {
  if (length === SHAPE_MIN_LENGTH) return 0;
  if (value.charCodeAt(19) !== 0x2e || length === SHAPE_MIN_LENGTH + 1) return -1; // .
  const digits = digitsAt(value, 20, length - 21);
  if (digits < 0) return -1;
  const count = length - 21;
  return count <= FRACTION_DIGITS
    ? digits * 10 ** (FRACTION_DIGITS - count)
    : Math.floor(digits / 10 ** (count - FRACTION_DIGITS));
}

/**
 * `Number(ticks / 10_000n)` of the shape fields without a bigint: the division truncates
 * toward zero, so an instant before 1970 with sub-millisecond ticks rounds up.
 */
function epochMsOfShape(): number {
  const wholeMs = shapeSecondMs + Math.floor(shapeFracTicks / 10_000);
  return wholeMs < 0 && shapeFracTicks % 10_000 !== 0 ? wholeMs + 1 : wholeMs;
}
