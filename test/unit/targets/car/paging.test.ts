import { describe, expect, it } from 'vitest';
import { idQueryPages, MAX_ID_QUERY_CHARS, pagesOf } from '../../../../src/targets/car/paging.ts';

describe('import pages', () => {
  it('splits records into pages of the given size, never more than 2,000', () => {
    const records = Array.from({ length: 4_500 }, (_, i) => i);
    expect([...pagesOf(records, 2_000)].map((page) => page.length)).toEqual([2_000, 2_000, 500]);
    expect([...pagesOf(records, 10_000)].map((page) => page.length)).toEqual([2_000, 2_000, 500]);
    expect([...pagesOf(records.slice(0, 5), 2)].map((page) => page.length)).toEqual([2, 2, 1]);
  });

  it('yields no page for no records', () => {
    expect([...pagesOf([], 2_000)]).toEqual([]);
  });
});

describe('id query pages', () => {
  it('URL-encodes each id and separates ids with literal commas', () => {
    expect(idQueryPages(['a/b', 'c,d', 'e f', 'g&h=1'])).toEqual(['a%2Fb,c%2Cd,e%20f,g%26h%3D1']);
  });

  it('keeps every page within the character bound and loses no id', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `machine-${String(i).padStart(5, '0')}-äöü`);
    const pages = idQueryPages(ids);

    expect(pages.length).toBeGreaterThan(1);
    expect(pages.every((page) => page.length <= MAX_ID_QUERY_CHARS)).toBe(true);
    expect(pages.flatMap((page) => page.split(',').map(decodeURIComponent))).toEqual(ids);
  });

  it('gives an id longer than the bound a page of its own', () => {
    const long = 'x'.repeat(50);
    expect(idQueryPages(['a', long, 'b'], 20)).toEqual(['a', long, 'b']);
  });
});
