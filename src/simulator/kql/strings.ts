/**
 * Kusto's string predicates. `has` matches whole terms: the needle must not be glued to
 * letters or digits on either side, so `'North America' has 'america'` holds and
 * `'NorthAmerica' has 'america'` does not. Operators without `_cs` ignore case.
 */

import { str } from './values.ts';

type Predicate = (haystack: string, needle: string) => boolean;

const isAlnum = (code: number) =>
  (code >= 48 && code <= 57) ||
  (code >= 65 && code <= 90) ||
  (code >= 97 && code <= 122) ||
  code > 127;

/** True when `needle` occurs in `haystack` at term boundaries (both given in the same case). */
export function hasTerm(haystack: string, needle: string): boolean {
  if (needle === '') return true;
  const checkStart = isAlnum(needle.charCodeAt(0));
  const checkEnd = isAlnum(needle.charCodeAt(needle.length - 1));
  let at = haystack.indexOf(needle);
  while (at >= 0) {
    const end = at + needle.length;
    const isStartOk = !checkStart || at === 0 || !isAlnum(haystack.charCodeAt(at - 1));
    const isEndOk = !checkEnd || end === haystack.length || !isAlnum(haystack.charCodeAt(end));
    if (isStartOk && isEndOk) return true;
    at = haystack.indexOf(needle, at + 1);
  }
  return false;
}

const CASE_SENSITIVE: Record<string, Predicate> = {
  has_cs: hasTerm,
  contains_cs: (h, n) => h.includes(n),
  startswith_cs: (h, n) => h.startsWith(n),
  endswith_cs: (h, n) => h.endsWith(n),
};

const CASE_INSENSITIVE: Record<string, Predicate> = {
  has: hasTerm,
  contains: (h, n) => h.includes(n),
  startswith: (h, n) => h.startsWith(n),
  endswith: (h, n) => h.endsWith(n),
};

/**
 * A row predicate for a string operator (`has`, `!contains`, `startswith_cs`, …). When the
 * needle is constant its lower-case form is computed once.
 */
export function stringOperator(
  op: string,
  haystack: (row: unknown) => unknown,
  needle: (row: unknown) => unknown,
  constantNeedle?: unknown,
): (row: unknown) => boolean {
  const isNegated = op.startsWith('!');
  const name = isNegated ? op.slice(1) : op;
  const sensitive = CASE_SENSITIVE[name];
  const test = sensitive ?? (CASE_INSENSITIVE[name] as Predicate);
  const fold = sensitive === undefined ? (s: string) => s.toLowerCase() : (s: string) => s;
  if (constantNeedle !== undefined) {
    const n = fold(str(constantNeedle));
    return (row) => test(fold(str(haystack(row))), n) !== isNegated;
  }
  return (row) => test(fold(str(haystack(row))), fold(str(needle(row)))) !== isNegated;
}
