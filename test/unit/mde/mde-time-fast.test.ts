import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, parseMdeTime, toEpochMs } from '../../../src/mde/time.ts';

/** A leading space keeps a value off the common-shape fast path, onto the general pattern. */
function viaGeneralPath(value: string): { epochMs: number; ticks: bigint } | undefined {
  const parsed = parseMdeTime(` ${value}`);
  return parsed === undefined ? undefined : { epochMs: parsed.epochMs, ticks: parsed.ticks };
}

function expectSameAsGeneralPath(value: string): void {
  const parsed = parseMdeTime(value);
  const general = viaGeneralPath(value);
  expect(
    parsed === undefined ? undefined : { epochMs: parsed.epochMs, ticks: parsed.ticks },
  ).toEqual(general);
  if (parsed !== undefined) {
    expect(parsed.raw).toBe(value);
    expect(Object.is(parsed.epochMs, Number(parsed.ticks / 10_000n))).toBe(true);
  }
  expect(toEpochMs(value)).toBe(general?.epochMs);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Values of the common shape, valid or not: any year, month 0–13, day 0–32, times to 99. */
const COMMON_SHAPE = fc
  .record({
    year: fc.oneof(
      fc.integer({ min: 0, max: 9999 }),
      fc.constantFrom(0, 4, 99, 100, 1600, 1601, 1969, 1970, 2000, 2100),
    ),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 99 }),
    minute: fc.integer({ min: 0, max: 99 }),
    second: fc.integer({ min: 0, max: 99 }),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{0,10}$/)),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}${t.fraction}Z`,
  );

describe('parseMdeTime and toEpochMs: the common-shape fast path', () => {
  it('gives the general pattern’s instant, or its refusal, for every common-shape value', () => {
    fc.assert(fc.property(COMMON_SHAPE, expectSameAsGeneralPath), { numRuns: 20_000 });
  });

  it('gives the general pattern’s answer for near misses of the shape', () => {
    const chars = fc.constantFrom(...'0123456789-T:.Zzt +'.split(''));
    const nearMiss = fc
      .tuple(COMMON_SHAPE, fc.nat(), chars, fc.boolean())
      .map(([value, at, char, replace]) => {
        const i = at % value.length;
        return value.slice(0, i) + char + value.slice(replace ? i + 1 : i);
      });
    fc.assert(fc.property(nearMiss, expectSameAsGeneralPath), { numRuns: 20_000 });
  });

  it.each([
    '1601-01-01T00:00:00Z',
    '1969-12-31T23:59:59.9999999Z',
    '1969-12-31T23:59:59.0001Z',
    '1969-12-31T23:59:59.123456789Z',
    '0000-02-29T00:00:00Z',
    '0004-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '2024-02-30T00:00:00Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:00:00.Z',
    '2024-01-01T10:00:00.1234567890Z',
    '2024-01-01t10:00:00z',
  ])('agrees with the general pattern on %s', (value) => {
    expectSameAsGeneralPath(value);
  });
});

describe('daysInMonth', () => {
  it('counts the days Date.UTC counts for every month of years 0 to 9999', () => {
    for (let year = 0; year <= 9999; year += 1) {
      for (let month = 1; month <= 12; month += 1) {
        const expected = new Date(Date.UTC(year, month, 0)).getUTCDate();
        if (daysInMonth(year, month) !== expected) {
          expect({ year, month, days: daysInMonth(year, month) }).toEqual({
            year,
            month,
            days: expected,
          });
        }
      }
    }
  });
});
