import { describe, expect, it } from 'vitest';
import { detectSearchKind, parseSearchInput } from '../../../src/car/search-input.ts';

describe('detectSearchKind', () => {
  it.each([
    ['10.0.0.5', 'ip'],
    ['::ffff:10.0.0.5', 'ip'],
    ['2001:DB8:0:0:0:0:0:5', 'ip'],
    ['fe80::1', 'ip'],
    ['02-AA-BB-00-00-01', 'mac'],
    ['02aa.bb00.0001', 'mac'],
    ['00:00:00:00:00:00', 'mac'],
    ['desktop-01.contoso.com', 'host'],
    ['DESKTOP-01', 'host'],
    ['', 'host'],
    ['010.000.158.190', 'ip'],
    ['256.1.1.1', 'ip'],
    ['2:71:3b:5e:54:2c', 'mac'],
  ])('searches %j as %s when no kind is given', (value, kind) => {
    expect(detectSearchKind(value)).toBe(kind);
  });
});

describe('search input notes and refusals', () => {
  it('names an address it never records in plain words', () => {
    expect(parseSearchInput('ip', '0.0.0.0').note).toBe(
      '0.0.0.0 is the unspecified address; the connector never records such addresses',
    );
    expect(parseSearchInput('ip', '127.0.0.1').note).toContain('is a loopback address');
    expect(parseSearchInput('mac', '00:00:00:00:00:00').note).toMatch(/^an all-zero MAC address/);
  });

  it('refuses a host name with a wildcard instead of searching for it', () => {
    for (const value of ['%', '*', 'desktop-*', 'pc?1']) {
      expect(() => parseSearchInput('host', value), value).toThrow(/wildcard/);
    }
    expect(parseSearchInput('host', 'NB_HOST01').canonical).toBe('nb_host01');
  });

  it('reads an IPv4 address with leading zeros as no address and says how to write it', () => {
    expect(() => parseSearchInput('ip', '010.000.158.190')).toThrow(
      /leading zeros.*search for 10\.0\.158\.190/,
    );
    expect(() => parseSearchInput('ip', '0300.1.1.1')).toThrow(/is not an IP address/);
    expect(() => parseSearchInput('ip', '256.1.1.1')).toThrow(/is not an IP address/);
  });

  it('reads a MAC printed without leading zeros as the padded address', () => {
    expect(parseSearchInput('mac', '2:71:3b:5e:54:2c').canonical).toBe('02:71:3b:5e:54:2c');
    expect(parseSearchInput('mac', '2-71-3B-5E-54-2C').canonical).toBe('02:71:3b:5e:54:2c');
    expect(() => parseSearchInput('mac', '2:71:3b:5e:54')).toThrow(/is not a MAC address/);
  });
});
