/**
 * JSON text that keeps 64-bit integers exact: `bigint` values are written as bare digits, so a
 * ReportId beyond 2^53 reaches the client digit for digit (mde-api.md §4.3, §6 Q19).
 */

// A marker no generated string contains; JSON.stringify leaves it intact inside quotes.
const MARK = '\u2063bigint:';
const MARKED = new RegExp(`"${MARK}(-?\\d+)"`, 'g');

export function stringifyWithBigInts(value: unknown): string {
  let text: string;
  try {
    // Most values hold no bigint: the native writer without a replacer call per value is
    // several times faster, and JSON.stringify throws a TypeError on the first bigint.
    text = JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? markBigInt(v) : v));
  }
  return unmarkBigInts(text);
}

/**
 * The string a bigint stands in as while a value is written with plain `JSON.stringify` (no
 * replacer call per value, which is slow on large answers); `unmarkBigInts` turns it back.
 */
export function markBigInt(value: bigint): string {
  return `${MARK}${value.toString()}`;
}

/** Replaces every marked bigint in JSON text with its digits. */
export function unmarkBigInts(text: string): string {
  return text.includes(MARK) ? text.replace(MARKED, '$1') : text;
}
