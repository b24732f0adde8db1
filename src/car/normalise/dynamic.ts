/**
 * Advanced-hunting `dynamic` columns (`IPAddresses`, `LoggedOnUsers`, ...) arrive as JSON text
 * from the API and as real arrays or objects from other sources (field fault B16). Integers
 * beyond 2^53 are read without loss, as lossless-json reads them, and kept as strings.
 */
import { parseExactJson } from '../../mde/exact-json.ts';

export type DynamicValue =
  { ok: true; value: unknown } | { ok: false; reason: 'empty' | 'badJson' };

/** Decodes a dynamic column; bad JSON is a result to count, never a throw. */
export function parseDynamic(value: unknown): DynamicValue {
  if (value === null || value === undefined) return { ok: false, reason: 'empty' };
  if (typeof value !== 'string') return { ok: true, value };

  const text = value.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  try {
    return { ok: true, value: parseExactJson(text, parseNumber) };
  } catch {
    // A malformed cell is an expected shape of field data (B16): the caller counts and skips it.
    return { ok: false, reason: 'badJson' };
  }
}

/** Decodes a dynamic column expected to hold an array; anything else is an empty list. */
export function parseDynamicArray(
  value: unknown,
): { ok: true; items: unknown[] } | { ok: false; reason: 'empty' | 'badJson' | 'notArray' } {
  const parsed = parseDynamic(value);
  if (!parsed.ok) return parsed;
  if (!Array.isArray(parsed.value)) return { ok: false, reason: 'notArray' };
  return { ok: true, items: parsed.value };
}

/** Integers beyond 2^53 stay as their exact text (e.g. `ReportId` 639199916335081329). */
function parseNumber(text: string): number | string {
  const value = Number(text);
  if (/^-?\d+$/.test(text) && !Number.isSafeInteger(value)) return text;
  return value;
}
