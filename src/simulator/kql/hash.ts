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

/** Deterministic non-negative hash of a value's text form. */
export function kqlHash(value: unknown): number {
  const text = str(value);
  let high = OFFSET_HIGH;
  let low = OFFSET_LOW;
  const bytes = isAscii(text) ? undefined : encoder.encode(text);
  const length = bytes === undefined ? text.length : bytes.length;
  for (let i = 0; i < length; i++) {
    low = (low ^ (bytes === undefined ? text.charCodeAt(i) : (bytes[i] as number))) >>> 0;
    const product = low * PRIME_LOW;
    const carry = Math.floor(product / TWO_POW_32);
    high = (high * PRIME_LOW + carry + ((low << 8) >>> 0)) % TWO_POW_32;
    low = product % TWO_POW_32;
  }
  const mixedLow = finalize(low ^ high);
  const mixedHigh = finalize(high ^ mixedLow);
  return (mixedHigh & 0x1fffff) * TWO_POW_32 + mixedLow;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function finalize(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}
