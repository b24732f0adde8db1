/**
 * The simulator's `hash()`: FNV-1a 64 over the UTF-8 bytes of the value's text, then a
 * murmur3-style finaliser so every output bit depends on every input bit, returned as the low
 * 53 bits (a non-negative, exactly representable number). Kusto uses xxhash64, so values
 * differ from the real service; what callers rely on, stable and even `hash(x) % n`
 * partitions, holds. 64-bit arithmetic is done on two 32-bit halves to avoid bigint per row.
 */

import { str } from './values.ts';

const OFFSET_HIGH = 0xcbf29ce4;
const OFFSET_LOW = 0x84222325;
// FNV 64-bit prime is 2^40 + 0x1b3: multiply by 0x1b3 and add the low half shifted by 40 bits.
const PRIME_LOW = 0x1b3;
const TWO_POW_32 = 4_294_967_296;
const encoder = new TextEncoder();

// Partition queries hash the same device ids over and over (`hash(DeviceId, m) in (…)` on
// every query of a sync): remember recent answers. Cleared when full, so memory stays bounded.
const MEMO_LIMIT = 1 << 20;
const memo = new Map<string, number>();

/** Deterministic non-negative hash of a value's text form. */
export function kqlHash(value: unknown): number {
  const text = typeof value === 'string' ? value : str(value);
  let hash = memo.get(text);
  if (hash === undefined) {
    hash = hashText(text);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, hash);
  }
  return hash;
}

function hashText(text: string): number {
  let high = OFFSET_HIGH;
  let low = OFFSET_LOW;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return hashBytes(encoder.encode(text));
    low = (low ^ code) >>> 0;
    // low * 0x1b3 in 16-bit halves, so every step stays exact in 32-bit integer arithmetic.
    const a = (low & 0xffff) * PRIME_LOW;
    const b = (low >>> 16) * PRIME_LOW;
    high = (Math.imul(high, PRIME_LOW) + (((a >>> 16) + b) >>> 16) + (low << 8)) >>> 0;
    low = (a + (b << 16)) >>> 0;
  }
  return combine(high, low);
}

function hashBytes(bytes: Uint8Array): number {
  let high = OFFSET_HIGH;
  let low = OFFSET_LOW;
  for (let i = 0; i < bytes.length; i++) {
    low = (low ^ (bytes[i] as number)) >>> 0;
    const a = (low & 0xffff) * PRIME_LOW;
    const b = (low >>> 16) * PRIME_LOW;
    high = (Math.imul(high, PRIME_LOW) + (((a >>> 16) + b) >>> 16) + (low << 8)) >>> 0;
    low = (a + (b << 16)) >>> 0;
  }
  return combine(high, low);
}

function combine(high: number, low: number): number {
  const mixedLow = finalize(low ^ high);
  const mixedHigh = finalize(high ^ mixedLow);
  return (mixedHigh & 0x1fffff) * TWO_POW_32 + mixedLow;
}

function finalize(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
