import { describe, expect, it } from 'vitest';
import {
  ODataQueryError,
  parseFilter,
  type FilterFields,
} from '../../../src/simulator/odata/filter.ts';
import {
  applyListQuery,
  nextLinkFor,
  parseListQuery,
  type ListSpec,
} from '../../../src/simulator/odata/query.ts';

const FIELDS: FilterFields = {
  name: 'string',
  lastSeen: 'datetime',
  tags: 'collection',
  rbacGroupId: 'number',
  risk: 'string',
};
const rows = [
  {
    name: 'Host-A',
    lastSeen: '2024-05-01T10:00:00.1234567Z',
    tags: ['Finance'],
    rbacGroupId: 0,
    risk: 'High',
  },
  {
    name: 'host-b',
    lastSeen: '2024-05-01T10:00:00.12345Z',
    tags: [],
    rbacGroupId: 41,
    risk: 'None',
  },
  {
    name: 'srv-c',
    lastSeen: '2018-08-01T00:00:00Z',
    tags: ['VIP', 'Finance'],
    rbacGroupId: 42,
    risk: null,
  },
];
const names = (filter: string): string[] =>
  rows.filter(parseFilter(filter, FIELDS)).map((r) => r.name);

describe('OData $filter', () => {
  it('compares strings and enum values without regard to case, property names too', () => {
    expect(names("Risk eq 'high'")).toEqual(['Host-A']);
    expect(names("NAME ne 'HOST-A'")).toEqual(['host-b', 'srv-c']);
  });

  it('compares datetimes to 100 ns, with unquoted and date-only literals', () => {
    expect(names('lastSeen gt 2024-05-01T10:00:00.12345Z')).toEqual(['Host-A']);
    expect(names('lastSeen ge 2024-05-01T10:00:00.1234500Z')).toEqual(['Host-A', 'host-b']);
    expect(names('lastSeen lt 2018-08-02Z')).toEqual(['srv-c']);
  });

  it('combines and, or, not and parentheses with the usual precedence', () => {
    expect(names("risk eq 'High' or risk eq 'None' and rbacGroupId eq 41")).toEqual([
      'Host-A',
      'host-b',
    ]);
    expect(names("(risk eq 'High' or risk eq 'None') and rbacGroupId eq 41")).toEqual(['host-b']);
    expect(names("not (risk eq 'High')")).toEqual(['host-b', 'srv-c']);
  });

  it('supports startswith, contains, any() and null comparisons', () => {
    expect(names("startswith(name,'host')")).toEqual(['Host-A', 'host-b']);
    expect(names("contains(name,'V-')")).toEqual(['srv-c']);
    expect(names("tags/any(t: t eq 'finance')")).toEqual(['Host-A', 'srv-c']);
    expect(names('risk eq null')).toEqual(['srv-c']);
    expect(names('rbacGroupId ge 41')).toEqual(['host-b', 'srv-c']);
  });

  it('rejects a property the endpoint does not filter on, naming it', () => {
    expect(() => parseFilter('firstSeen gt 2024-01-01Z', FIELDS)).toThrow(ODataQueryError);
    expect(() => parseFilter('firstSeen gt 2024-01-01Z', FIELDS)).toThrow(/firstSeen/);
  });

  it('rejects malformed expressions', () => {
    for (const bad of ["name eq 'x", 'name', "name eq 'x' and", "(name eq 'x'", "name like 'x'"]) {
      expect(() => parseFilter(bad, FIELDS), bad).toThrow(ODataQueryError);
    }
  });
});

describe('OData list options and paging', () => {
  const spec: ListSpec = {
    fields: FIELDS,
    properties: ['name', 'lastSeen', 'tags', 'rbacGroupId', 'risk'],
    typeName: 'T',
  };
  const url = (q: string): URL => new URL(`https://sim.mock.test/api/machines${q}`);
  const many = Array.from({ length: 25 }, (_, i) => ({
    name: `h${i}`,
    lastSeen: '2024-01-01T00:00:00Z',
    tags: [],
    rbacGroupId: i,
    risk: 'Low',
  }));

  it('gives a next skip only when $top is absent and rows remain', () => {
    expect(applyListQuery(many, parseListQuery(url(''), spec), spec, 10).nextSkip).toBe(10);
    expect(
      applyListQuery(many, parseListQuery(url('?$skip=20'), spec), spec, 10).nextSkip,
    ).toBeUndefined();
    expect(
      applyListQuery(many, parseListQuery(url('?$top=10'), spec), spec, 10).nextSkip,
    ).toBeUndefined();
  });

  it('refuses $top above 10,000 and negative or non-numeric values', () => {
    expect(() => parseListQuery(url('?$top=10001'), spec)).toThrow(
      /The limit of '10000' for Top query has been exceeded/,
    );
    expect(() => parseListQuery(url('?$top=-1'), spec)).toThrow(ODataQueryError);
    expect(() => parseListQuery(url('?$skip=abc'), spec)).toThrow(ODataQueryError);
    expect(() => parseListQuery(url('?$orderby=unknown'), spec)).toThrow(
      /Could not find a property named 'unknown'/,
    );
  });

  it('orders descending by number and keeps the other query options in the next link', () => {
    const page = applyListQuery(
      many,
      parseListQuery(url('?$orderby=rbacGroupId desc'), spec),
      spec,
      5,
    );
    expect(page.items.map((r) => r.rbacGroupId)).toEqual([24, 23, 22, 21, 20]);
    const link = nextLinkFor('https://127.0.0.1:1', url("?$filter=risk eq 'Low'&$skip=5"), 10);
    expect(link).toBe('https://127.0.0.1:1/api/machines?$filter=risk+eq+%27Low%27&$skip=10');
  });
});
