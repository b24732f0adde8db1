/**
 * Advanced-hunting answers (mde-api.md §2.3). Parsed as lossless-json would, so `long` columns
 * beyond 2^53 (e.g. `ReportId` 639199916335081329, Q19) become `bigint` while every other
 * number stays a `number`; answers without such integers take the native parser
 * (exact-json.ts). JSON-in-JSON columns (Q21) are left exactly as received.
 */
import { isInteger, isSafeNumber } from 'lossless-json';
import { parseExactJson } from './exact-json.ts';
import type { HuntingResult } from './types.ts';

/** Parses a hunting response body; throws on a body without `Schema` and `Results` arrays. */
export function parseHuntingResult(text: string): HuntingResult {
  const parsed = parseExactJson(text, parseNumber) as Partial<HuntingResult> & { Stats?: unknown };
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray(parsed.Results)) {
    throw new TypeError('no "Results" array in the hunting answer');
  }
  return { Schema: Array.isArray(parsed.Schema) ? parsed.Schema : [], Results: parsed.Results };
}

function parseNumber(value: string): number | bigint {
  if (isInteger(value) && !isSafeNumber(value)) return BigInt(value);
  return Number(value);
}
