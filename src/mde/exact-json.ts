/**
 * JSON parsing that gives exactly what lossless-json gives, faster. lossless-json is exact for
 * 64-bit integers but parses in JavaScript; the native `JSON.parse` is several times faster and
 * agrees with it on every text that has no integer literal beyond 2^53, no duplicate key and no
 * deep nesting. A cheap scan proves the first and last of those before `JSON.parse` runs, and a
 * key count after it proves the second; any doubt sends the text to lossless-json unchanged, so
 * a wrong guess can only cost time, never data.
 */
import { parse as parseLossless } from 'lossless-json';

/** Maps one JSON number literal to its value (lossless-json's `parseNumber`). */
export type NumberParser = (literal: string) => unknown;

/**
 * Digits in a row that may form an integer beyond `Number.MAX_SAFE_INTEGER` (16 digits). Any
 * literal with fewer is exact as a double, whatever the number parser does with longer ones.
 */
const MAX_EXACT_DIGIT_RUN = 15;

/**
 * Nesting that lossless-json's recursive parser handles on any stack. Deeper texts go to it
 * unchanged, so a text it cannot parse still fails as it did.
 */
const MAX_NATIVE_DEPTH = 200;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Parses JSON text as `lossless-json`'s `parse(text, null, parseNumber)` would, for a number
 * parser that returns `Number(literal)` for every literal of at most 15 digits in a row.
 */
export function parseExactJson(text: string, parseNumber: NumberParser): unknown {
  const keys = countKeysIfNativeSafe(text);
  if (keys === undefined) return parseLossless(text, null, parseNumber);

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Invalid JSON: lossless-json throws its own error, the one callers have always seen.
    return parseLossless(text, null, parseNumber);
  }
  // A duplicate key leaves fewer properties than keys written; lossless-json decides those.
  if (countProperties(value) !== keys) return parseLossless(text, null, parseNumber);
  return value;
}

/**
 * The number of object keys in `text` (colons outside strings), or undefined when the text
 * holds a run of more than 15 digits outside strings or nests deeper than the limit.
 */
export function countKeysIfNativeSafe(text: string): number | undefined {
  let keys = 0;
  let depth = 0;
  let digitRun = 0;
  const length = text.length;
  for (let i = 0; i < length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= ZERO && code <= NINE) {
      digitRun += 1;
      if (digitRun > MAX_EXACT_DIGIT_RUN) return undefined;
      continue;
    }
    digitRun = 0;
    if (code === QUOTE) {
      i = closingQuote(text, i);
    } else if (code === COLON) {
      keys += 1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth > MAX_NATIVE_DEPTH) return undefined;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return keys;
}

/** Index of the quote that closes the string opening at `open` (text length when none). */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return text.length;
}

/** Own properties of every object in a parsed JSON value, nested ones included. */
function countProperties(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      if (item !== null && typeof item === 'object') count += countProperties(item);
    }
    return count;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    count += 1;
    const item = record[key];
    if (item !== null && typeof item === 'object') count += countProperties(item);
  }
  return count;
}
