/**
 * How values live inside the engine. A datetime is its canonical ISO string with exactly 7
 * fractional digits (`2024-01-02T03:04:05.1234567Z`): such strings sort in time order, so
 * comparisons stay exact to 100 ns without bigint work per row. A timespan is a number of
 * 100 ns ticks. Longs stay number or bigint as given; dynamic values are JS values, or the
 * JSON text a table holds until an operator needs the structure.
 */

import { parseMdeTime } from '../../mde/time.ts';

const TICKS_PER_MS = 10_000n;
const TICKS_PER_DAY = 864_000_000_000;

/** Canonical datetime string for a Defender timestamp, or null when it is empty or invalid. */
export function toDatetime(value: unknown): string | null {
  if (typeof value === 'string') {
    if (isCanonical(value)) return value;
    return padFraction(value) ?? slowDatetime(value);
  }
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? null : fromEpochMs(value.getTime());
  return null;
}

function isCanonical(s: string): boolean {
  return (
    s.length === 28 &&
    s.charCodeAt(27) === 90 &&
    s.charCodeAt(19) === 46 &&
    s.charCodeAt(10) === 84 &&
    s.charCodeAt(4) === 45
  );
}

// Most non-canonical values only have fewer fractional digits: pad them without parsing.
function padFraction(s: string): string | null {
  const n = s.length;
  if (n < 20 || n > 28 || s.charCodeAt(n - 1) !== 90 || s.charCodeAt(10) !== 84) return null;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  if (n === 20) return s.slice(0, 19) + '.0000000Z';
  if (s.charCodeAt(19) !== 46 || n === 21) return null;
  return s.slice(0, n - 1) + '0000000'.slice(0, 28 - n) + 'Z';
}

function slowDatetime(s: string): string | null {
  const instant = parseMdeTime(s);
  return instant === undefined ? null : ticksToDatetime(instant.ticks);
}

function fromEpochMs(ms: number): string {
  return ticksToDatetime(BigInt(ms) * TICKS_PER_MS);
}

/** 100 ns ticks since the Unix epoch of a canonical datetime string. */
export function datetimeToTicks(dt: string): bigint {
  const ms = Date.parse(dt.slice(0, 19) + 'Z');
  return BigInt(ms) * TICKS_PER_MS + BigInt(dt.slice(20, 27));
}

/** Canonical datetime string of 100 ns ticks since the Unix epoch (negative allowed). */
export function ticksToDatetime(ticks: bigint): string {
  let seconds = ticks / 10_000_000n;
  let fraction = ticks % 10_000_000n;
  if (fraction < 0n) {
    fraction += 10_000_000n;
    seconds -= 1n;
  }
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 19)}.${fraction.toString().padStart(7, '0')}Z`;
}

/** Seconds since the epoch when a canonical datetime has no sub-second part, else undefined. */
export function wholeSeconds(dt: string): number | undefined {
  if (dt.slice(20, 27) !== '0000000') return undefined;
  return Date.parse(dt.slice(0, 19) + 'Z') / 1000;
}

/** Canonical datetime of whole seconds since the epoch. */
export function secondsToDatetime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 19) + '.0000000Z';
}

/** Reads a timespan given as ticks or as Kusto text `[-][d.]hh:mm:ss[.fffffff]`. */
export function toTimespan(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return null;
  const m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(value.trim());
  if (!m) return null;
  const [, sign, d = '0', h = '0', mi = '0', s = '0', f = ''] = m;
  const seconds = ((Number(d) * 24 + Number(h)) * 60 + Number(mi)) * 60 + Number(s);
  const ticks = seconds * 10_000_000 + Number((f + '0000000').slice(0, 7));
  return sign === '-' ? -ticks : ticks;
}

/** Kusto's text form of a timespan: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ticks: number): string {
  const sign = ticks < 0 ? '-' : '';
  let rest = Math.abs(Math.trunc(ticks));
  const days = Math.floor(rest / TICKS_PER_DAY);
  rest -= days * TICKS_PER_DAY;
  const fraction = rest % 10_000_000;
  const totalSeconds = (rest - fraction) / 10_000_000;
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = `${two(Math.floor(totalSeconds / 3600))}:${two(Math.floor(totalSeconds / 60) % 60)}:${two(totalSeconds % 60)}`;
  const dayPart = days > 0 ? `${days}.` : '';
  const fractionPart = fraction > 0 ? `.${String(fraction).padStart(7, '0')}` : '';
  return `${sign}${dayPart}${clock}${fractionPart}`;
}

/** The string form of a string-typed value: Kusto strings are never null, so null is ''. */
export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return stringifyJson(value);
  return String(value);
}

/**
 * The structure of a dynamic value: JSON text (as tables hold it) is parsed when it looks
 * like an array or object; anything else is returned as is.
 */
export function asDynamic(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  const first = value.trimStart()[0];
  if (first !== '[' && first !== '{') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    // Limitation: text that starts like JSON but is not JSON stays a plain string, as Kusto's
    // parse_json does with invalid input.
    return value;
  }
}

/** Parses JSON text the way parse_json does: invalid text becomes the string itself. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    // Kusto's parse_json returns the input string when it is not valid JSON.
    return value;
  }
}

// JSON.stringify cannot write bigint: mark it as a string, then unquote the digits.
const BIGINT_MARK = '~bigint~';
const BIGINT_PATTERN = /"~bigint~(-?\d+)"/g;

/** JSON text of a value; bigint values are written as exact JSON numbers. */
export function stringifyJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? `${BIGINT_MARK}${v.toString()}` : v,
  );
  return text === undefined ? '' : text.replace(BIGINT_PATTERN, '$1');
}

/** True for null, undefined and '' (Kusto's isempty). */
export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/** A number for numeric work: bigint becomes number (large values lose precision). */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

/** An integer (number when safe, else bigint) or null; reals are truncated toward zero. */
export function toInteger(value: unknown): number | bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  if (/^-?\d+$/.test(text)) {
    const big = BigInt(text);
    const isSafe = big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER);
    return isSafe ? Number(big) : big;
  }
  const n = Number(text);
  return Number.isFinite(n) ? Math.trunc(n) : null;
}
