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
