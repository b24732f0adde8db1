import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalMac } from '../../../src/car/normalise/mac.ts';
import { validateRecord } from '../../../src/car/schema.ts';

describe('canonicalMac: field-fault inputs (B17)', () => {
  it.each([
    '02AABB000001',
    '02-AA-BB-00-00-01',
    '02:aa:bb:00:00:01',
    '02:AA:BB:00:00:01',
    '02aa.bb00.0001',
    ' 02 aa bb 00 00 01 ',
  ])('maps %s to 02:aa:bb:00:00:01', (raw) => {
    expect(canonicalMac(raw)).toEqual({ ok: true, mac: '02:aa:bb:00:00:01', bits: 48 });
  });

  it.each([
    ['', 'empty'],
    [null, 'empty'],
    ['-', 'empty'],
    ['000000000000', 'allZero'],
    ['00-00-00-00-00-00', 'allZero'],
    ['0000000000000000', 'allZero'],
    ['FF-FF-FF-FF-FF-FF', 'broadcast'],
    ['01005E901000', 'multicast'],
    ['00000000000000E0', 'placeholder'],
    ['0g:01:02:03:04:05', 'malformed'],
    ['00:-1:5-00:00:00', 'malformed'],
    ['0-0D3A-94-54-DE', 'malformed'],
    ['02AABB0000', 'malformed'],
    ['02AABB00000100', 'malformed'],
    [12345, 'malformed'],
  ])('refuses %j as %s', (raw, reason) => {
    expect(canonicalMac(raw)).toEqual({ ok: false, reason });
  });

  it('keeps a real 64-bit EUI-64 value as an 8-pair form marked 64 bits', () => {
    expect(canonicalMac('02-1B-63-FF-FE-84-45-E6')).toEqual({
      ok: true,
      mac: '02:1b:63:ff:fe:84:45:e6',
      bits: 64,
    });
  });
});

const unicastMac = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 })
  .filter((bytes) => (bytes[0]! & 1) === 0 && bytes.some((b) => b !== 0));

describe('canonicalMac: properties', () => {
  it('maps every separator style and case of a unicast MAC to one schema-valid key', () => {
    fc.assert(
      fc.property(unicastMac, (bytes) => {
        const pairs = bytes.map((b) => b.toString(16).padStart(2, '0'));
        const expected = pairs.join(':');
        const spellings = [
          pairs.join('').toUpperCase(),
          pairs.join('-').toUpperCase(),
          pairs.join(':'),
          [pairs.slice(0, 2), pairs.slice(2, 4), pairs.slice(4)].map((p) => p.join('')).join('.'),
        ];
        for (const spelling of spellings) {
          expect(canonicalMac(spelling)).toEqual({ ok: true, mac: expected, bits: 48 });
        }
        expect(validateRecord('macaddress', { _key: expected, name: expected })).toEqual({
          ok: true,
        });
      }),
    );
  });

  it('never throws and only ever returns lower-case colon pairs', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-fA-F:.-]{0,24}$/), fc.anything()),
        (raw) => {
          const result = canonicalMac(raw);
          if (result.ok)
            expect(result.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}((:[0-9a-f]{2}){2})?$/);
        },
      ),
    );
  });
});

/** Padding keeps the same value off the plain-spelling fast path, onto the general path. */
function viaGeneralPath(raw: string): ReturnType<typeof canonicalMac> {
  return canonicalMac(` ${raw} `);
}

const hexPair = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((byte) => byte.toString(16).padStart(2, '0')),
  fc.constantFrom('00', 'ff', 'FF', '01', '02', 'aA', 'g0', '0-'),
);

describe('canonicalMac: the plain-spelling path answers as the general path', () => {
  it('for six hex pairs joined by any separators, in either case', () => {
    fc.assert(
      fc.property(
        fc.array(hexPair, { minLength: 6, maxLength: 6 }),
        fc.array(fc.constantFrom('', ':', '-', '.', ' ', '_'), { minLength: 5, maxLength: 5 }),
        fc.boolean(),
        (pairs, separators, upper) => {
          const joined = pairs
            .map((pair, i) => (i === 0 ? pair : separators[i - 1] + pair))
            .join('');
          const raw = upper ? joined.toUpperCase() : joined;
          expect(canonicalMac(raw)).toEqual(viaGeneralPath(raw));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('for any short string of hex digits and separators', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('0', '1', 'e', 'F', 'f', ':', '-', '.', 'x'),
          maxLength: 18,
        }),
        (raw) => {
          expect(canonicalMac(raw)).toEqual(viaGeneralPath(raw));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it.each([
    '000000000000',
    'FFFFFFFFFFFF',
    'ff:ff:ff:ff:ff:ff',
    '01005E901000',
    '03-00-00-00-00-00',
    '02AABB000001',
  ])('for %s', (raw) => {
    expect(canonicalMac(raw)).toEqual(viaGeneralPath(raw));
  });
});
