/**
 * Ordering and equality of values by Kusto type. A normaliser turns a stored value into a
 * comparable primitive (canonical datetime string, number or bigint, string) or null; keys
 * built from normalised values drive grouping, `distinct`, `in` sets and join matching.
 */

import type { KqlType } from './types.ts';
import { asDynamic, stringifyJson, str, toDatetime, toNumber, toTimespan } from './values.ts';

export type Comparable = string | number | bigint | null;
export type Normalizer = (value: unknown) => Comparable;

const numeric: Normalizer = (v) =>
  typeof v === 'number' || typeof v === 'bigint'
    ? v
    : v === null || v === undefined
      ? null
      : toNumber(v);

const dynamic: Normalizer = (v) => {
  const d = asDynamic(v);
  if (d === null || typeof d === 'number' || typeof d === 'bigint' || typeof d === 'string')
    return d;
  if (typeof d === 'boolean') return d ? 1 : 0;
  return stringifyJson(d);
};

const NORMALIZERS: Record<KqlType, Normalizer> = {
  string: str,
  datetime: toDatetime,
  long: numeric,
  int: numeric,
  real: numeric,
  timespan: toTimespan,
  bool: (v) =>
    v === null || v === undefined ? null : v === true || v === 'true' || v === 1 ? 1 : 0,
  guid: (v) => (v === null || v === undefined || v === '' ? null : str(v).toLowerCase()),
  dynamic,
};

/** The normaliser for values of a type. */
export function normalizerFor(type: KqlType): Normalizer {
  return NORMALIZERS[type];
}

/** Orders two non-null normalised values; mixed kinds (from dynamic) compare as text. */
export function compareComparable(a: Comparable, b: Comparable): number {
  if (typeof a === typeof b || (typeof a !== 'string' && typeof b !== 'string')) {
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  }
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A total order on normalised values with nulls first. */
export function compareNullsFirst(a: Comparable, b: Comparable): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return compareComparable(a, b);
}

const NULL_KEY = '\u0000';

/** A string key of a normalised value, equal exactly when the values are equal. */
export function keyOf(value: Comparable): string {
  if (value === null) return NULL_KEY;
  return typeof value === 'string' ? value : String(value);
}

/** True when a key stands for null (null keys never match in joins). */
export function isNullKey(key: string): boolean {
  return key === NULL_KEY;
}
