import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalIp } from '../../../src/car/normalise/ip.ts';

const DROP_REASONS = ['empty', 'placeholder', 'unspecified', 'loopback', 'malformed'];

describe('canonicalIp: field-fault inputs (B14, B16)', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    [null, 'empty'],
    [undefined, 'empty'],
    ['-', 'placeholder'],
    ['N/A', 'placeholder'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['0:0:0:0:0:0:0:0', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['not an ip', 'malformed'],
    ['s10.0.0.1', 'malformed'],
    ['10.0.0', 'malformed'],
    ['0x0a.0.0.1', 'malformed'],
    ['256.1.1.1', 'malformed'],
    [42, 'malformed'],
  ])('drops %j with reason %s', (raw, reason) => {
    expect(canonicalIp(raw)).toEqual({ ok: false, reason });
  });

  it.each([
    ['10.0.0.5', '10.0.0.5', 4, 'private'],
    [' 172.20.10.4 ', '172.20.10.4', 4, 'private'],
    ['::ffff:10.0.0.5', '10.0.0.5', 4, 'private'],
    ['::FFFF:0a00:0005', '10.0.0.5', 4, 'private'],
    ['100.64.0.9', '100.64.0.9', 4, 'cgnat'],
    ['169.254.5.16', '169.254.5.16', 4, 'linkLocal'],
    ['fe80::1', 'fe80::1', 6, 'linkLocal'],
    ['FE80::39F0:832A:89A1:F6E1%12', 'fe80::39f0:832a:89a1:f6e1', 6, 'linkLocal'],
    ['fe80:1e::f6d4:88ff:fe68:3c84', 'fe80:1e::f6d4:88ff:fe68:3c84', 6, 'linkLocal'],
    ['fd7a:115c:a1e0::2b01:6da4', 'fd7a:115c:a1e0::2b01:6da4', 6, 'private'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1', 6, 'reserved'],
    ['2001:db8:cf40::', '2001:db8:cf40::', 6, 'reserved'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1', 6, 'reserved'],
    ['8.8.8.8', '8.8.8.8', 4, 'public'],
    ['2a00:1450::1', '2a00:1450::1', 6, 'public'],
    ['[2a00:1450::1]', '2a00:1450::1', 6, 'public'],
  ])('canonicalises %s to %s (IPv%i, %s)', (raw, ip, family, scope) => {
    expect(canonicalIp(raw)).toEqual({ ok: true, ip, family, scope });
  });
});

const ipv4Bytes = fc.tuple(
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }),
);

const ipv6Groups = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });

describe('canonicalIp: properties', () => {
  it('gives an IPv4 address and its IPv4-mapped IPv6 spellings the same result', () => {
    fc.assert(
      fc.property(ipv4Bytes, (bytes) => {
        const dotted = bytes.join('.');
        const hex = `${((bytes[0] << 8) | bytes[1]).toString(16)}:${((bytes[2] << 8) | bytes[3]).toString(16)}`;
        const plain = canonicalIp(dotted);
        expect(canonicalIp(`::ffff:${dotted}`)).toEqual(plain);
        expect(canonicalIp(`::FFFF:${hex.toUpperCase()}`)).toEqual(plain);
        expect(canonicalIp(`0:0:0:0:0:ffff:${dotted}`)).toEqual(plain);
        if (plain.ok) expect(plain.ip).toBe(dotted);
      }),
    );
  });

  it('gives every spelling of an IPv6 address one lower-case compressed form that is stable', () => {
    fc.assert(
      fc.property(ipv6Groups, (groups) => {
        const full = groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
        const short = groups.map((g) => g.toString(16)).join(':');
        const result = canonicalIp(full);
        expect(canonicalIp(full.toUpperCase())).toEqual(result);
        expect(canonicalIp(short)).toEqual(result);
        if (!result.ok) return;
        expect(result.ip).toBe(result.ip.toLowerCase());
        expect(result.ip).not.toMatch(/(^|:)0\d/);
        expect(canonicalIp(result.ip)).toEqual(result);
      }),
    );
  });

  it('never throws and returns either a valid address or a known reason for any input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom('', '-', '::', '0.0.0.0'), fc.anything()),
        (raw) => {
          const result = canonicalIp(raw);
          if (result.ok) expect(result.ip).toMatch(/^[a-f0-9:.]+$/);
          else expect(DROP_REASONS).toContain(result.reason);
        },
      ),
    );
  });
});

/** Padding keeps the same address off the plain dotted-quad fast path, onto ipaddr.js. */
function viaGeneralPath(raw: string): ReturnType<typeof canonicalIp> {
  return canonicalIp(` ${raw} `);
}

describe('canonicalIp: the plain dotted-quad path answers as the general path', () => {
  it('for every IPv4 address', () => {
    fc.assert(
      fc.property(ipv4Bytes, (bytes) => {
        const dotted = bytes.join('.');
        expect(canonicalIp(dotted)).toEqual(viaGeneralPath(dotted));
      }),
      { numRuns: 5000 },
    );
  });

  it('at both edges of every special range', () => {
    const edges = [
      [0, 8],
      [255, 255, 255, 255, 32],
      [224, 4],
      [169, 254, 16],
      [127, 8],
      [100, 64, 10],
      [10, 8],
      [172, 16, 12],
      [192, 168, 16],
      [192, 0, 0, 24],
      [192, 0, 2, 24],
      [192, 88, 99, 24],
      [198, 18, 15],
      [198, 51, 100, 24],
      [203, 0, 113, 24],
      [240, 4],
      [192, 175, 48, 24],
      [192, 31, 196, 24],
      [192, 52, 193, 24],
    ];
    for (const edge of edges) {
      const bits = edge[edge.length - 1]!;
      const head = edge.slice(0, -1);
      const network = [...head, 0, 0, 0, 0].slice(0, 4).reduce((sum, byte) => sum * 256 + byte);
      const size = 2 ** (32 - bits);
      for (const value of [network - 1, network, network + size - 1, network + size]) {
        if (value < 0 || value > 0xffffffff) continue;
        const dotted = [24, 16, 8, 0]
          .map((shift) => Math.floor(value / 2 ** shift) % 256)
          .join('.');
        expect(canonicalIp(dotted)).toEqual(viaGeneralPath(dotted));
      }
    }
  });

  it('for any string of digits and dots', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('0', '1', '2', '5', '9', '.', '00', '25', '255', '256'),
        }),
        (raw) => {
          expect(canonicalIp(raw)).toEqual(viaGeneralPath(raw));
        },
      ),
      { numRuns: 5000 },
    );
  });
});

/** IPv6 groups biased towards zero runs, so `::` forms and special ranges come up often. */
const sparseIpv6Groups = fc.array(
  fc.oneof(
    fc.constant(0),
    fc.constant(0),
    fc.integer({ min: 0, max: 0xffff }),
    fc.constantFrom(
      0xfe80,
      0xff02,
      0xfc00,
      0xfd12,
      0x2001,
      0x2002,
      0xffff,
      0x64,
      0xff9b,
      1,
      2,
      0xdb8,
    ),
  ),
  { minLength: 8, maxLength: 8 },
);

/** Every `::` spelling of the groups: each run of zero groups compressed in turn. */
function compressedSpellings(groups: number[]): string[] {
  const text = (list: number[]): string => list.map((g) => g.toString(16)).join(':');
  const spellings = [text(groups)];
  for (let start = 0; start < 8; start += 1) {
    for (let end = start + 1; end <= 8 && groups[end - 1] === 0; end += 1) {
      spellings.push(`${text(groups.slice(0, start))}::${text(groups.slice(end))}`);
    }
  }
  return spellings;
}

describe('canonicalIp: the plain IPv6 path answers as the general path', () => {
  it('for every spelling of an IPv6 address, in either case', () => {
    fc.assert(
      fc.property(sparseIpv6Groups, fc.boolean(), (groups, upper) => {
        for (const spelling of compressedSpellings(groups)) {
          const raw = upper ? spelling.toUpperCase() : spelling;
          expect(canonicalIp(raw)).toEqual(viaGeneralPath(raw));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('for any string of hex digits and colons', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('0', '1', 'f', 'E', ':', '::', 'fe80', '12345', 'g', '.'),
        }),
        (raw) => {
          expect(canonicalIp(raw)).toEqual(viaGeneralPath(raw));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it.each([
    '::',
    '::1',
    '1::',
    '::ffff:a00:5',
    '::ffff:0:a00:5',
    '64:ff9b::a00:5',
    '64:ff9b:1::1',
    '2001:db8::1',
    '2001::1',
    '2001:2::1',
    '2001:3::1',
    '2001:4:112::1',
    '2001:10::1',
    '2001:20::1',
    '2002::1',
    '2620:4f:8000::1',
    '100::1',
    'fec0::1',
    'ff02::1:2',
    'fe80::1f20:7e33:f0e5:5ffd',
    '1:0:0:2:0:0:0:3',
    '1:0:0:2:0:0:3:4',
    '1:2:3:4:5:6:7::',
    '1:2:3:4:5:6:7:8::',
    '1:2:3:4:5:6::7:8',
    '0:0:0:0:0:0:0:1',
  ])('for %s', (raw) => {
    expect(canonicalIp(raw)).toEqual(viaGeneralPath(raw));
  });
});
