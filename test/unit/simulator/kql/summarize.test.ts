import { describe, expect, it } from 'vitest';
import { run } from './tables.ts';

describe('summarize', () => {
  it('counts rows per group, by columns first, groups in first-seen order', () => {
    const result = run('Devices | summarize count() by DeviceId');
    expect(result.columns).toEqual([
      { name: 'DeviceId', type: 'string' },
      { name: 'count_', type: 'long' },
    ]);
    expect(result.rows).toEqual([
      { DeviceId: 'd1', count_: 2 },
      { DeviceId: 'd2', count_: 1 },
      { DeviceId: 'd3', count_: 1 },
    ]);
  });

  it('returns one row with zero count for empty input without by, and no rows with by', () => {
    expect(run("Devices | where DeviceId == 'none' | summarize count()").rows).toEqual([
      { count_: 0 },
    ]);
    expect(run("Devices | where DeviceId == 'none' | summarize count() by DeviceId").rows).toEqual(
      [],
    );
  });

  it('computes dcount, countif, min, max, sum and avg, ignoring nulls', () => {
    const result = run(
      'Devices | summarize dcount(DeviceId), countif(RiskScore > 15), min(RiskScore), max(RiskScore), sum(RiskScore), avg(RiskScore)',
    );
    expect(result.rows).toEqual([
      {
        dcount_DeviceId: 3,
        countif_: 2,
        min_RiskScore: 10,
        max_RiskScore: 30,
        sum_RiskScore: 60,
        avg_RiskScore: 20,
      },
    ]);
  });

  it('names aggregates given an alias, as the sync engine does for first and last seen', () => {
    const result = run(
      'Devices | summarize FirstSeen = min(Timestamp), LastSeen = max(Timestamp) by DeviceId',
    );
    expect(result.rows[0]).toEqual({
      DeviceId: 'd1',
      FirstSeen: '2024-03-01T10:00:00.0000000Z',
      LastSeen: '2024-03-02T10:00:00.1234567Z',
    });
  });

  it('keeps the latest row per group with arg_max(Timestamp, *)', () => {
    const result = run('Devices | summarize arg_max(Timestamp, *) by DeviceId');
    expect(result.columns.map((c) => c.name)).toEqual([
      'DeviceId',
      'Timestamp',
      'DeviceName',
      'OSPlatform',
      'RiskScore',
      'Tags',
      'ReportId',
      'IsAzureADJoined',
      'Score',
    ]);
    expect(result.rows.map((r) => [r.DeviceId, r.RiskScore, r.ReportId])).toEqual([
      ['d1', 30, 2],
      ['d2', 20, 3],
      ['d3', null, 4],
    ]);
  });

  it('copies only the listed columns with arg_max(expr, col1, col2) and picks the earliest with arg_min', () => {
    const latest = run('Devices | summarize arg_max(Timestamp, RiskScore, DeviceName) by DeviceId');
    expect(latest.columns.map((c) => c.name)).toEqual([
      'DeviceId',
      'Timestamp',
      'RiskScore',
      'DeviceName',
    ]);
    expect(latest.rows[0]).toMatchObject({ DeviceId: 'd1', RiskScore: 30 });
    const earliest = run('Devices | summarize arg_min(Timestamp, RiskScore) by DeviceId');
    expect(earliest.rows[0]).toEqual({
      DeviceId: 'd1',
      Timestamp: '2024-03-01T10:00:00.0000000Z',
      RiskScore: 10,
    });
  });

  it('distinguishes arg_max candidates 100 ns apart', () => {
    const result = run(
      "Devices | where DeviceId in ('d1', 'd2') | summarize arg_max(Timestamp, DeviceId)",
    );
    expect(result.rows).toEqual([{ Timestamp: '2024-03-02T10:00:00.1234568Z', DeviceId: 'd2' }]);
  });

  it('collects values with make_set (distinct) and make_list (all)', () => {
    const result = run('Devices | summarize make_set(DeviceId), make_list(DeviceId)');
    expect(result.rows).toEqual([
      { make_set_DeviceId: ['d1', 'd2', 'd3'], make_list_DeviceId: ['d1', 'd1', 'd2', 'd3'] },
    ]);
    expect(result.columns[0]).toEqual({ name: 'make_set_DeviceId', type: 'dynamic' });
  });

  it('picks a non-null value with any and take_any', () => {
    const result = run('Devices | summarize any(DeviceName), take_any(RiskScore) by DeviceId');
    expect(result.rows[2]).toEqual({
      DeviceId: 'd3',
      any_DeviceName: 'gamma',
      take_any_RiskScore: null,
    });
  });

  it('groups by bin(Timestamp, 1d) and names the column after the binned column', () => {
    const result = run('Devices | summarize count() by bin(Timestamp, 1d)');
    expect(result.rows).toEqual([
      { Timestamp: '2024-03-01T00:00:00.0000000Z', count_: 1 },
      { Timestamp: '2024-03-02T00:00:00.0000000Z', count_: 2 },
      { Timestamp: '2024-03-03T00:00:00.0000000Z', count_: 1 },
    ]);
  });

  it('groups by named expressions, treating a null string as empty', () => {
    const result = run('Devices | summarize n = count() by Platform = tolower(OSPlatform)');
    expect(result.rows).toEqual([
      { Platform: 'windows10', n: 2 },
      { Platform: 'windowsserver2019', n: 1 },
      { Platform: '', n: 1 },
    ]);
  });

  it('lists distinct groups with summarize by and no aggregate', () => {
    expect(run('Devices | summarize by DeviceId').rows).toEqual([
      { DeviceId: 'd1' },
      { DeviceId: 'd2' },
      { DeviceId: 'd3' },
    ]);
  });

  it('groups by several columns', () => {
    const result = run('Network | summarize arg_max(Timestamp, MacAddress) by DeviceId, Adapter');
    expect(result.rows).toEqual([
      {
        DeviceId: 'd1',
        Adapter: 'eth0',
        Timestamp: '2024-03-02T00:00:00.0000000Z',
        MacAddress: '000D3A9EC782',
      },
      {
        DeviceId: 'd2',
        Adapter: 'wlan0',
        Timestamp: '2024-03-01T12:00:00.0000000Z',
        MacAddress: '00-00-00-00-00-00',
      },
    ]);
  });
});
