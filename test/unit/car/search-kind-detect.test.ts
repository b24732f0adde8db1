import { describe, expect, it } from 'vitest';
import { detectSearchKind } from '../../../src/car/search-input.ts';

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
  ])('searches %j as %s when no kind is given', (value, kind) => {
    expect(detectSearchKind(value)).toBe(kind);
  });
});
