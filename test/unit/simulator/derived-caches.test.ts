import { describe, expect, it } from 'vitest';
import { stringifyWithBigInts } from '../../../src/simulator/http/json-bigint.ts';
import type { KqlResult } from '../../../src/simulator/kql/index.ts';
import {
  applyListQuery,
  parseListQuery,
  type ListSpec,
} from '../../../src/simulator/odata/query.ts';
import { toWire, wireText } from '../../../src/simulator/routes/hunting.ts';
import { advanceTenant } from '../../../src/simulator/tenant/advance.ts';
import { Tenant } from '../../../src/simulator/tenant/tenant.ts';

const NOW = Date.parse('2025-06-02T12:00:00Z');
const make = (machines: number): Tenant =>
  new Tenant({ seed: 5, machines, nowMs: NOW, tenantId: '00000000-0000-4000-8000-000000000000' });
const json = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

describe('hunting tables after the tenant changes', () => {
  it('derive again the rows of a changed machine and keep those of the others', () => {
    const tenant = make(200);
    const before = tenant.tables.get('DeviceNetworkInfo')?.rows ?? [];
    const entry = tenant
      .listedEntries()
      .find((e) => e.record.ipAddresses?.some((ip) => ip.operationalStatus === 'Up'));
    const adapter = entry?.record.ipAddresses?.find((ip) => ip.operationalStatus === 'Up');
    if (!entry || !adapter)
      throw new Error('the generated tenant has no machine with an adapter up');
    adapter.ipAddress = '10.250.250.250';
    tenant.touch();

    const after = tenant.tables.get('DeviceNetworkInfo')?.rows ?? [];
    const changed = after.filter((r) => r.DeviceId === entry.record.id);
    expect(json(changed)).toContain('10.250.250.250');
    const others = (rows: readonly Record<string, unknown>[]) =>
      rows.filter((r) => r.DeviceId !== entry.record.id);
    expect(json(others(after))).toBe(json(others(before)));
  });

  it('hold the same rows as a tenant generated at the same point without earlier builds', () => {
    const warmed = make(300);
    for (const name of [
      'DeviceNetworkInfo',
      'DeviceLogonEvents',
      'DeviceTvmSoftwareVulnerabilities',
    ])
      warmed.tables.get(name);
    const fresh = make(300);
    advanceTenant(warmed, NOW, NOW + 86_400_000);
    advanceTenant(fresh, NOW, NOW + 86_400_000);
    for (const name of [
      'DeviceNetworkInfo',
      'DeviceLogonEvents',
      'DeviceTvmSoftwareVulnerabilities',
    ])
      expect(json(warmed.tables.get(name)?.rows)).toBe(json(fresh.tables.get(name)?.rows));
  });
});

describe('the advanced-hunting wire text', () => {
  const result: KqlResult = {
    columns: [
      { name: 'Timestamp', type: 'datetime' },
      { name: 'ReportId', type: 'long' },
      { name: 'Extra', type: 'dynamic' },
      { name: 'Name', type: 'string' },
    ],
    rows: [
      {
        Timestamp: '2025-06-01T10:11:12.1234567Z',
        ReportId: 639199916335081329n,
        Extra: null,
        Name: 'a',
      },
      { Timestamp: '1969-12-31T23:59:59.5000000Z', ReportId: 5, Extra: { n: 7n }, Name: 'b' },
      { Timestamp: '2024-02-30T00:00:00.0000000Z', ReportId: null, Extra: [1, 'x'], Name: '' },
      { Timestamp: '2024-01-01T24:00:00.0000000Z', ReportId: -3n, Extra: '{"k":1}', Name: 'c' },
      { Timestamp: '2024-01-01T10:00:00Z', ReportId: 1, Extra: 9n, Name: 'd' },
    ],
  };

  it('is the text of the general writer, bigints exact and datetimes with 7 digits', () => {
    const expected = stringifyWithBigInts(toWire(result, 12));
    const text = wireText(structuredClone(result), 12);
    expect(text).toBe(expected);
    expect(text).toContain('"table_row_count":5');
    expect(text).toContain('"ReportId":639199916335081329');
    expect(text).toContain('"Timestamp":"2024-01-01T10:00:00.0000000Z"');
  });

  it('takes the general path for an object in a column that is not dynamic', () => {
    const odd: KqlResult = {
      columns: [{ name: 'Id', type: 'long' }],
      rows: [{ Id: { nested: 12345678901234567890n } }],
    };
    const expected = stringifyWithBigInts(toWire(odd, 0));
    expect(wireText(odd, 0)).toBe(expected);
    expect(wireText(odd, 0)).toContain('"nested":12345678901234567890');
  });

  it('takes the general path when a column name repeats', () => {
    const repeated: KqlResult = {
      columns: [
        { name: 'A', type: 'string' },
        { name: 'A', type: 'datetime' },
      ],
      rows: [{ A: '2024-01-01T00:00:00Z' }],
    };
    const expected = stringifyWithBigInts(toWire(repeated, 0));
    expect(wireText(repeated, 0)).toBe(expected);
    expect(expected).toContain('"A":"2024-01-01T00:00:00.0000000Z"');
  });
});

describe('OData ordering by a datetime', () => {
  const spec: ListSpec = {
    typeName: 'T',
    fields: { lastSeen: 'datetime', name: 'string' },
    properties: ['lastSeen', 'name'],
  };
  const url = (q: string) => new URL(`https://127.0.0.1:1/api/machines${q}`);

  it('orders by instant whatever the number of fractional digits, ties in list order', () => {
    const rows = [
      { name: 'a', lastSeen: '2024-01-01T00:00:00.5Z' },
      { name: 'b', lastSeen: '2024-01-01T00:00:00.0400000Z' },
      { name: 'c', lastSeen: null },
      { name: 'd', lastSeen: '2024-01-01T00:00:00.50Z' },
      { name: 'e', lastSeen: '2023-12-31T23:59:59Z' },
    ];
    const page = applyListQuery(
      rows,
      parseListQuery(url('?$orderby=lastSeen desc'), spec),
      spec,
      10,
    );
    expect(page.items.map((r) => r.name)).toEqual(['a', 'd', 'b', 'e', 'c']);
  });

  it('filters on a datetime literal compared with every row', () => {
    const rows = [
      { name: 'a', lastSeen: '2024-01-01T00:00:00.5Z' },
      { name: 'b', lastSeen: '2024-01-01T00:00:00.0400000Z' },
    ];
    const query = parseListQuery(url('?$filter=lastSeen gt 2024-01-01T00:00:00.1Z'), spec);
    expect(applyListQuery(rows, query, spec, 10).items.map((r) => r.name)).toEqual(['a']);
  });
});
