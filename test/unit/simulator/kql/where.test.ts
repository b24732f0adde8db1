import { describe, expect, it } from 'vitest';
import { column, run } from './tables.ts';

const ids = (predicate: string) => column(`Devices | where ${predicate}`, 'DeviceId');

describe('where: comparisons', () => {
  it('compares longs with == != < <= > >=', () => {
    expect(ids('RiskScore > 15')).toEqual(['d1', 'd2']);
    expect(ids('RiskScore == 10')).toEqual(['d1']);
    expect(ids('RiskScore <= 20')).toEqual(['d1', 'd2']);
    expect(ids('RiskScore >= 20')).toEqual(['d1', 'd2']);
    expect(ids('RiskScore < 20')).toEqual(['d1']);
  });

  it('treats null != value as true and null < value as false, as Kusto does', () => {
    expect(ids('RiskScore != 10')).toEqual(['d1', 'd2', 'd3']);
    expect(ids('RiskScore < 100')).toEqual(['d1', 'd1', 'd2']);
  });

  it('compares strings case-sensitively with == and case-insensitively with =~ and !~', () => {
    expect(ids("DeviceName == 'beta-server'")).toEqual([]);
    expect(ids("DeviceName =~ 'BETA-server'")).toEqual(['d2']);
    expect(ids("DeviceName !~ 'GAMMA'")).toEqual(['d1', 'd1', 'd2']);
  });

  it('compares bool and real columns', () => {
    expect(ids('IsAzureADJoined')).toEqual(['d1', 'd1']);
    expect(ids('IsAzureADJoined == false')).toEqual(['d2']);
    expect(ids('Score > 1')).toEqual(['d1', 'd1']);
  });

  it('evaluates integer arithmetic with truncating division', () => {
    expect(ids('RiskScore * 2 > 50')).toEqual(['d1']);
    expect(ids('RiskScore % 20 == 0')).toEqual(['d2']);
    expect(ids('RiskScore / 3 == 3')).toEqual(['d1']);
    expect(ids('RiskScore + 1 - 1 == 20')).toEqual(['d2']);
  });
});

describe('where: list and range operators', () => {
  it('filters with in, !in, in~ and !in~', () => {
    expect(ids("DeviceId in ('d1', 'd3')")).toEqual(['d1', 'd1', 'd3']);
    expect(ids("DeviceId !in ('d1')")).toEqual(['d2', 'd3']);
    expect(ids("DeviceId in~ ('D2')")).toEqual(['d2']);
    expect(ids("DeviceId in ('D2')")).toEqual([]);
    expect(ids("DeviceId !in~ ('D1', 'D2')")).toEqual(['d3']);
  });

  it('accepts a let-bound dynamic array on the right of in', () => {
    const query = "let wanted = dynamic(['d2', 'd3']); Devices | where DeviceId in (wanted)";
    expect(column(query, 'DeviceId')).toEqual(['d2', 'd3']);
  });

  it('accepts a tabular expression on the right of in, using its first column', () => {
    expect(ids("DeviceId in ((Vulns | where CveId == 'CVE-2' | project DeviceId))")).toEqual([
      'd2',
    ]);
  });

  it('keeps values inside between bounds, inclusive, and excludes them with !between', () => {
    expect(ids('RiskScore between (10 .. 20)')).toEqual(['d1', 'd2']);
    expect(ids('RiskScore !between (10 .. 20)')).toEqual(['d1']);
  });

  it('accepts a timespan as the upper bound of a datetime between', () => {
    expect(ids('Timestamp between (datetime(2024-03-02) .. 1d)')).toEqual(['d1', 'd2']);
  });
});

describe('where: string operators', () => {
  it('matches has on whole terms, ignoring case', () => {
    expect(ids("DeviceName has 'CONTOSO'")).toEqual(['d1', 'd1']);
    expect(ids("DeviceName has 'cont'")).toEqual([]);
    expect(ids("DeviceName has 'server'")).toEqual(['d2']);
    expect(ids("DeviceName !has 'contoso'")).toEqual(['d2', 'd3']);
  });

  it('matches has_any when any listed term is present', () => {
    expect(ids("DeviceName has_any ('server', 'gamma', 'nothing')")).toEqual(['d2', 'd3']);
  });

  it('matches contains, !contains, startswith and endswith ignoring case', () => {
    expect(ids("DeviceName contains 'ETA'")).toEqual(['d2']);
    expect(ids("DeviceName !contains 'contoso'")).toEqual(['d2', 'd3']);
    expect(ids("DeviceName startswith 'ALPHA'")).toEqual(['d1', 'd1']);
    expect(ids("DeviceName endswith '.COM'")).toEqual(['d1', 'd1']);
  });

  it('treats a null string as empty for isempty and isnotempty', () => {
    expect(ids('isempty(OSPlatform)')).toEqual(['d3']);
    expect(ids('isnotempty(OSPlatform)')).toEqual(['d1', 'd1', 'd2']);
  });

  it('detects null longs with isnull and isnotnull', () => {
    expect(ids('isnull(RiskScore)')).toEqual(['d3']);
    expect(ids('isnotnull(RiskScore)')).toEqual(['d1', 'd1', 'd2']);
  });
});

describe('where: logic', () => {
  it('combines predicates with and, or and not()', () => {
    expect(ids("RiskScore > 15 and DeviceId == 'd1'")).toEqual(['d1']);
    expect(ids("DeviceId == 'd3' or RiskScore == 10")).toEqual(['d1', 'd3']);
    expect(ids("not(DeviceId == 'd1')")).toEqual(['d2', 'd3']);
  });

  it('binds and tighter than or', () => {
    expect(ids("DeviceId == 'd3' or DeviceId == 'd1' and RiskScore == 30")).toEqual(['d1', 'd3']);
  });
});

describe('where: time', () => {
  it('compares with ago() against the query clock', () => {
    expect(ids('Timestamp > ago(2d)')).toEqual(['d1', 'd2', 'd3']);
    expect(ids('Timestamp > ago(36h)')).toEqual(['d3']);
    expect(ids('Timestamp < now()')).toEqual(['d1', 'd1', 'd2', 'd3']);
  });

  it('reads every timespan unit', () => {
    for (const span of ['2d', '48h', '2880m', '172800s', '172800000ms']) {
      expect(ids(`Timestamp > ago(${span})`)).toEqual(['d1', 'd2', 'd3']);
    }
  });

  it('compares below a millisecond', () => {
    expect(ids('Timestamp >= ago(1d) + 500ms')).toEqual(['d3']);
    expect(ids('Timestamp > ago(1d) + 500ms')).toEqual([]);
    expect(ids('Timestamp > datetime(2024-03-02T10:00:00.1234567Z)')).toEqual(['d2', 'd3']);
  });

  it('accepts datetime literals with or without T and zone, and quoted', () => {
    expect(ids('Timestamp == datetime(2024-03-01T10:00:00Z)')).toEqual(['d1']);
    expect(ids('Timestamp == datetime(2024-03-01 10:00:00)')).toEqual(['d1']);
    expect(ids("Timestamp == datetime('2024-03-01T10:00:00.000Z')")).toEqual(['d1']);
  });

  it('compares a datetime column with a string holding a timestamp', () => {
    expect(ids("Timestamp == '2024-03-01T10:00:00Z'")).toEqual(['d1']);
  });
});

describe('lexical forms', () => {
  it('reads double-quoted, escaped and verbatim strings', () => {
    const row = run(
      "Devices | take 1 | project a = @'C:\\temp', b = \"x\\\"y\", c = 'it\\'s', d = @'it''s'",
    ).rows[0];
    expect(row).toEqual({ a: 'C:\\temp', b: 'x"y', c: "it's", d: "it's" });
  });

  it('ignores // comments', () => {
    expect(
      column("Devices // all devices\n// | take 0\n| where DeviceId == 'd2'", 'DeviceId'),
    ).toEqual(['d2']);
  });
});
