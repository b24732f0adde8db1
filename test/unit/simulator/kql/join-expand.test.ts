import { describe, expect, it } from 'vitest';
import { run } from './tables.ts';

describe('join', () => {
  it('keeps unmatched left rows with kind=leftouter and suffixes the clashing right key', () => {
    const result = run('Vulns | join kind=leftouter (Cves | project CveId, CvssScore) on CveId');
    expect(result.columns.map((c) => c.name)).toEqual(['DeviceId', 'CveId', 'CveId1', 'CvssScore']);
    expect(result.rows).toEqual([
      { DeviceId: 'd1', CveId: 'CVE-1', CveId1: 'CVE-1', CvssScore: 9.8 },
      { DeviceId: 'd1', CveId: 'CVE-3', CveId1: '', CvssScore: null },
      { DeviceId: 'd2', CveId: 'CVE-2', CveId1: 'CVE-2', CvssScore: 5 },
      { DeviceId: 'd2', CveId: 'CVE-1', CveId1: 'CVE-1', CvssScore: 9.8 },
    ]);
  });

  it('drops unmatched rows with kind=inner', () => {
    const result = run('Vulns | join kind=inner (Cves) on CveId | project DeviceId, CveId');
    expect(result.rows).toEqual([
      { DeviceId: 'd1', CveId: 'CVE-1' },
      { DeviceId: 'd2', CveId: 'CVE-2' },
      { DeviceId: 'd2', CveId: 'CVE-1' },
    ]);
  });

  it('keeps one left row per key by default (innerunique), as Kusto does', () => {
    const result = run('Vulns | join (Cves) on CveId | project DeviceId, CveId');
    expect(result.rows).toEqual([
      { DeviceId: 'd1', CveId: 'CVE-1' },
      { DeviceId: 'd2', CveId: 'CVE-2' },
    ]);
  });

  it('joins on differently named columns with $left and $right', () => {
    const result = run(
      "Devices | where DeviceId == 'd2' | join kind=inner (Vulns | project Dev = DeviceId, CveId) on $left.DeviceId == $right.Dev | project DeviceId, Dev, CveId",
    );
    expect(result.rows).toEqual([
      { DeviceId: 'd2', Dev: 'd2', CveId: 'CVE-2' },
      { DeviceId: 'd2', Dev: 'd2', CveId: 'CVE-1' },
    ]);
  });

  it('filters left rows with leftsemi and leftanti', () => {
    const semi = run('Devices | join kind=leftsemi (Vulns) on DeviceId | project DeviceId');
    expect(semi.rows.map((r) => r.DeviceId)).toEqual(['d1', 'd1', 'd2']);
    const anti = run('Devices | join kind=leftanti (Vulns) on DeviceId | project DeviceId');
    expect(anti.rows.map((r) => r.DeviceId)).toEqual(['d3']);
  });

  it('accepts and ignores hint options', () => {
    const result = run('Vulns | join kind=inner hint.strategy=shuffle (Cves) on CveId | count');
    expect(result.rows).toEqual([{ Count: 3 }]);
  });

  it('matches on several keys', () => {
    const result = run(
      "Vulns | join kind=inner (Vulns | where DeviceId == 'd2') on DeviceId, CveId | project DeviceId, CveId",
    );
    expect(result.rows).toEqual([
      { DeviceId: 'd2', CveId: 'CVE-2' },
      { DeviceId: 'd2', CveId: 'CVE-1' },
    ]);
  });
});

describe('mv-expand', () => {
  it('expands dynamic columns held as JSON text or as arrays, dropping empty arrays', () => {
    const result = run('Network | mv-expand IPAddresses | project DeviceId, IPAddresses');
    expect(result.rows).toEqual([
      { DeviceId: 'd1', IPAddresses: { IPAddress: '10.0.0.4', SubnetPrefix: 26 } },
      { DeviceId: 'd1', IPAddresses: { IPAddress: 'fe80::1', SubnetPrefix: 64 } },
      { DeviceId: 'd1', IPAddresses: { IPAddress: '10.0.0.5', SubnetPrefix: 26 } },
    ]);
  });

  it('expands a named expression and reads members of each element', () => {
    const result = run(
      'Network | mv-expand ip = parse_json(IPAddresses) | extend Address = tostring(ip.IPAddress), Prefix = toint(ip.SubnetPrefix) | project Address, Prefix',
    );
    expect(result.rows).toEqual([
      { Address: '10.0.0.4', Prefix: 26 },
      { Address: 'fe80::1', Prefix: 64 },
      { Address: '10.0.0.5', Prefix: 26 },
    ]);
  });

  it('types the expanded column with to typeof(string)', () => {
    const result = run('Devices | mv-expand Tag = Tags to typeof(string) | project DeviceId, Tag');
    expect(result.columns[1]).toEqual({ name: 'Tag', type: 'string' });
    expect(result.rows).toEqual([
      { DeviceId: 'd1', Tag: 'vip' },
      { DeviceId: 'd1', Tag: 'lab' },
      { DeviceId: 'd1', Tag: 'vip' },
    ]);
  });

  it('adds the element position with with_itemindex and caps rows with limit', () => {
    const indexed = run(
      "Devices | where DeviceId == 'd1' | mv-expand with_itemindex=i Tags | project i, Tags",
    );
    expect(indexed.rows).toEqual([
      { i: 0, Tags: 'vip' },
      { i: 1, Tags: 'lab' },
      { i: 0, Tags: 'vip' },
    ]);
    expect(run("Devices | where DeviceId == 'd1' | mv-expand Tags limit 1").rows).toHaveLength(2);
  });

  it('expands a property bag into one single-key bag per property', () => {
    const result = run(
      'Cves | take 1 | extend bag = dynamic({"a": 1, "b": [2]}) | mv-expand bag | project bag',
    );
    expect(result.rows).toEqual([{ bag: { a: 1 } }, { bag: { b: [2] } }]);
  });
});
