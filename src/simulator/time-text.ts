/**
 * Timestamps as Defender writes them: ISO-8601 UTC with `Z` and 0 to 7 fractional digits in
 * the REST API (mde-api.md §3.3), always 7 in advanced hunting (§2.3). The simulator keeps
 * instants as epoch milliseconds plus a sub-millisecond remainder in 100 ns ticks.
 */
import { flat } from './random.ts';

/** Formats `epochMs` (+ `subTicks` 0–9999 of 100 ns) with exactly `digits` fractional digits. */
export function formatDefenderTime(epochMs: number, digits: number, subTicks = 0): string {
  // One join for the whole text: tables hold millions of these, built as flat strings.
  const parts = secondParts(Math.floor(epochMs / 1000));
  if (digits <= 0) {
    parts.push('Z');
    return flat(parts);
  }
  const msPart = ((epochMs % 1000) + 1000) % 1000;
  const fraction = String(msPart).padStart(3, '0') + String(subTicks).padStart(4, '0');
  parts.push('.', fraction.slice(0, Math.min(digits, 7)), 'Z');
  return flat(parts);
}

/** Seven fractional digits: the advanced-hunting form. */
export function formatHuntingTime(epochMs: number, subTicks = 0): string {
  return formatDefenderTime(epochMs, 7, subTicks);
}

/** Entra error timestamps: `YYYY-MM-DD HH:MM:SSZ` (mde-api.md §1.3). */
export function formatEntraTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/** TVM export form: `YYYY-MM-DD HH:MM:SS`, no `T`, no zone (mde-api.md §2.7). */
export function formatTvmTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

const DAY_S = 86_400;
const dayCache = new Map<number, string>();

/** The pieces of `YYYY-MM-DDTHH:MM:SS` of an epoch second (days cached: tenants reuse them). */
function secondParts(epochS: number): string[] {
  const day = Math.floor(epochS / DAY_S);
  let date = dayCache.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_S * 1000).toISOString().slice(0, 10);
    if (dayCache.size < 20_000) dayCache.set(day, date);
  }
  const rest = epochS - day * DAY_S;
  const h = Math.floor(rest / 3600);
  const m = Math.floor((rest % 3600) / 60);
  const s = rest % 60;
  return [date, 'T', two(h), ':', two(m), ':', two(s)];
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
