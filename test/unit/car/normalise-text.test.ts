import { describe, expect, it } from 'vitest';
import { hostnameKey, shortHostname } from '../../../src/car/normalise/hostname.ts';
import { parseDynamic, parseDynamicArray } from '../../../src/car/normalise/dynamic.ts';

describe('hostnameKey', () => {
  it.each([
    ['C-Lab-31', 'c-lab-31'],
    ['HOST-1.Example.Test.', 'host-1.example.test'],
    [' desktop-01 ', 'desktop-01'],
  ])('keys %s as %s', (raw, key) => {
    expect(hostnameKey(raw)).toBe(key);
  });

  it.each([[''], ['-'], [null], [42], ['bad name'], ['a|b'], ['x..y'], ['.lead']])(
    'refuses %j',
    (raw) => {
      expect(hostnameKey(raw)).toBeUndefined();
    },
  );

  it('takes the first label of an FQDN as the short name', () => {
    expect(shortHostname('desktop-01.contoso.com')).toBe('desktop-01');
    expect(shortHostname('desktop-01')).toBe('desktop-01');
  });
});

describe('parseDynamic (B16)', () => {
  it('decodes a JSON string and passes an array through unchanged', () => {
    const array = [{ IPAddress: '10.0.0.5' }];
    expect(parseDynamic(JSON.stringify(array))).toEqual({ ok: true, value: array });
    expect(parseDynamic(array)).toEqual({ ok: true, value: array });
  });

  it('reads integers beyond 2^53 without loss, as text', () => {
    expect(parseDynamic('{"ReportId":639199916335081329,"n":5.5}')).toEqual({
      ok: true,
      value: { ReportId: '639199916335081329', n: 5.5 },
    });
  });

  it('reports bad JSON and empty cells instead of throwing', () => {
    expect(parseDynamic('not json')).toEqual({ ok: false, reason: 'badJson' });
    expect(parseDynamic('[{"a":')).toEqual({ ok: false, reason: 'badJson' });
    expect(parseDynamic('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseDynamic(null)).toEqual({ ok: false, reason: 'empty' });
  });

  it('refuses a decoded value that is not an array where an array is expected', () => {
    expect(parseDynamicArray('{"a":1}')).toEqual({ ok: false, reason: 'notArray' });
    expect(parseDynamicArray('[1]')).toEqual({ ok: true, items: [1] });
  });
});
