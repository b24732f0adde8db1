import { describe, expect, it } from 'vitest';
import { executeKql, type KqlTable } from '../../../../src/simulator/kql/index.ts';
import { DEVICES, NOW, run, tablesOf } from './tables.ts';

describe('long values', () => {
  it('returns a bigint ReportId beyond 2^53 unchanged', () => {
    const row = run("Devices | where DeviceId == 'd1' | take 1 | project ReportId").rows[0];
    expect(row?.ReportId).toBe(639199916335081329n);
  });

  it('compares and computes with bigint longs exactly', () => {
    expect(run('Devices | where ReportId == 639199916335081329 | count').rows).toEqual([
      { Count: 1 },
    ]);
    const next = run('Devices | take 1 | project n = ReportId + 1').rows[0]?.n;
    expect(next).toBe(639199916335081330n);
  });
});

describe('datetime values', () => {
  it('returns every datetime with exactly 7 fractional digits', () => {
    const stamps = run('Devices | project Timestamp').rows.map((r) => r.Timestamp);
    expect(stamps).toEqual([
      '2024-03-01T10:00:00.0000000Z',
      '2024-03-02T10:00:00.1234567Z',
      '2024-03-02T10:00:00.1234568Z',
      '2024-03-03T00:00:00.5000000Z',
    ]);
  });

  it('reads timestamps with 0 to 7 fractional digits and the space-separated TVM form', () => {
    const table: KqlTable = {
      name: 'Times',
      columns: [{ name: 'T', type: 'datetime' }],
      rows: [
        '2024-01-01T00:00:00Z',
        '2024-01-01T00:00:00.1Z',
        '2024-01-01T00:00:00.123Z',
        '2024-01-01 00:00:00.1234567',
      ].map((T) => ({ T })),
    };
    const result = executeKql('Times | order by T asc', tablesOf(table), { now: NOW, maxRows: 10 });
    expect(result.rows.map((r) => r.T)).toEqual([
      '2024-01-01T00:00:00.0000000Z',
      '2024-01-01T00:00:00.1000000Z',
      '2024-01-01T00:00:00.1230000Z',
      '2024-01-01T00:00:00.1234567Z',
    ]);
  });
});

describe('rows', () => {
  it('returns fresh row objects and leaves the input rows untouched', () => {
    const before = structuredClone(DEVICES.rows);
    const result = run('Devices | extend RiskScore = 0, Tags = 1');
    result.rows[0]!.DeviceId = 'changed';
    expect(DEVICES.rows).toEqual(before);
    expect(result.rows[1]).not.toBe(DEVICES.rows[1]);
    expect(run('Devices').rows[0]).not.toBe(DEVICES.rows[0]);
  });

  it('returns dynamic values as stored: JSON text stays text, arrays stay arrays', () => {
    const tags = run('Devices | project Tags').rows.map((r) => r.Tags);
    expect(tags).toEqual(['["vip","lab"]', ['vip'], '[]', null]);
  });

  it('returns an empty string, never null, for a null string column', () => {
    expect(run("Devices | where DeviceId == 'd3' | project OSPlatform").rows).toEqual([
      { OSPlatform: '' },
    ]);
  });

  it('reads the same structure from a dynamic column held as text or as an array', () => {
    const first = run('Network | project a = tostring(IPAddresses[0].IPAddress)').rows.map(
      (r) => r.a,
    );
    expect(first).toEqual(['10.0.0.4', '10.0.0.5', '']);
  });
});
