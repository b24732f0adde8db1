/**
 * JSON text that keeps 64-bit integers exact: `bigint` values are written as bare digits, so a
 * ReportId beyond 2^53 reaches the client digit for digit (mde-api.md §4.3, §6 Q19).
 */

// A marker no generated string contains; JSON.stringify leaves it intact inside quotes.
const MARK = '\u2063bigint:';
const MARKED = new RegExp(`"${MARK}(-?\\d+)"`, 'g');

export function stringifyWithBigInts(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint' ? `${MARK}${v.toString()}` : v,
  );
  return text.replace(MARKED, '$1');
}
