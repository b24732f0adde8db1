import { describe, expect, it } from 'vitest';
import { column, DEVICES, run } from './tables.ts';

describe('project family', () => {
  it('keeps only the listed columns, in the listed order, with renames and expressions', () => {
    const result = run(
      "Devices | where DeviceId == 'd2' | project Name = DeviceName, DeviceId, Double = RiskScore * 2",
    );
    expect(result.columns).toEqual([
      { name: 'Name', type: 'string' },
      { name: 'DeviceId', type: 'string' },
      { name: 'Double', type: 'long' },
    ]);
    expect(result.rows).toEqual([{ Name: 'Beta-Server', DeviceId: 'd2', Double: 40 }]);
  });

  it('names unnamed expressions Column1, Column2 and member access a_b', () => {
    const result = run(
      "Devices | where DeviceId == 'd2' | project RiskScore + 1, tolower(DeviceName), Tags.x",
    );
    expect(result.columns.map((c) => c.name)).toEqual(['Column1', 'Column2', 'Tags_x']);
  });

  it('removes columns with project-away, including * wildcards', () => {
    const result = run('Devices | project-away Tags, Report*, Is*, Score | take 1');
    expect(result.columns.map((c) => c.name)).toEqual([
      'Timestamp',
      'DeviceId',
      'DeviceName',
      'OSPlatform',
      'RiskScore',
    ]);
  });

  it('keeps only matching columns with project-keep', () => {
    expect(run('Devices | project-keep Device* | take 1').columns.map((c) => c.name)).toEqual([
      'DeviceId',
      'DeviceName',
    ]);
  });

  it('renames columns in place with project-rename', () => {
    const result = run(
      "Devices | where DeviceId == 'd3' | project-rename Id = DeviceId, Host = DeviceName",
    );
    expect(result.columns.map((c) => c.name).slice(0, 3)).toEqual(['Timestamp', 'Id', 'Host']);
    expect(result.rows[0]).toMatchObject({ Id: 'd3', Host: 'gamma' });
  });

  it('adds and replaces columns with extend, later items seeing earlier ones', () => {
    const result = run(
      "Devices | where DeviceId == 'd2' | extend RiskScore = RiskScore + 1, Twice = RiskScore * 2",
    );
    expect(result.columns.map((c) => c.name)).toEqual([
      ...DEVICES.columns.map((c) => c.name),
      'Twice',
    ]);
    expect(result.rows[0]).toMatchObject({ RiskScore: 21, Twice: 42 });
  });
});

describe('row selection and order', () => {
  it('takes the first n rows with take and limit', () => {
    expect(column('Devices | take 2', 'RiskScore')).toEqual([10, 30]);
    expect(column('Devices | limit 1', 'RiskScore')).toEqual([10]);
    expect(column('Devices | take 0', 'RiskScore')).toEqual([]);
  });

  it('sorts descending by default, like Kusto', () => {
    expect(column('Devices | order by RiskScore', 'RiskScore')).toEqual([30, 20, 10, null]);
  });

  it('sorts ascending with nulls first, and honours nulls last', () => {
    expect(column('Devices | sort by RiskScore asc', 'RiskScore')).toEqual([null, 10, 20, 30]);
    expect(column('Devices | sort by RiskScore asc nulls last', 'RiskScore')).toEqual([
      10,
      20,
      30,
      null,
    ]);
  });

  it('sorts by several keys', () => {
    const result = run(
      'Devices | order by DeviceId asc, Timestamp desc | project DeviceId, RiskScore',
    );
    expect(result.rows.map((r) => `${String(r.DeviceId)}:${String(r.RiskScore)}`)).toEqual([
      'd1:30',
      'd1:10',
      'd2:20',
      'd3:null',
    ]);
  });

  it('orders datetimes that differ by 100 ns', () => {
    const asc = run('Devices | order by Timestamp asc | project Timestamp').rows.map(
      (r) => r.Timestamp,
    );
    expect(asc).toEqual([
      '2024-03-01T10:00:00.0000000Z',
      '2024-03-02T10:00:00.1234567Z',
      '2024-03-02T10:00:00.1234568Z',
      '2024-03-03T00:00:00.5000000Z',
    ]);
  });

  it('returns the top n rows by a key, descending unless asc', () => {
    expect(column('Devices | top 2 by RiskScore', 'RiskScore')).toEqual([30, 20]);
    expect(column('Devices | top 2 by RiskScore asc', 'RiskScore')).toEqual([null, 10]);
  });

  it('returns distinct combinations of columns, and of whole rows with *', () => {
    expect(run('Devices | distinct DeviceId, DeviceName').rows).toEqual([
      { DeviceId: 'd1', DeviceName: 'alpha.contoso.com' },
      { DeviceId: 'd2', DeviceName: 'Beta-Server' },
      { DeviceId: 'd3', DeviceName: 'gamma' },
    ]);
    expect(run('Devices | project DeviceId | distinct *').rows).toHaveLength(3);
  });

  it('counts rows into a Count column', () => {
    const result = run("Devices | where DeviceId == 'd1' | count");
    expect(result.columns).toEqual([{ name: 'Count', type: 'long' }]);
    expect(result.rows).toEqual([{ Count: 2 }]);
  });
});

describe('let statements and union', () => {
  it('binds scalars, including expressions over other lets', () => {
    const query =
      'let minimum = 15; let limit2 = minimum + 10; Devices | where RiskScore > minimum and RiskScore < limit2';
    expect(column(query, 'DeviceId')).toEqual(['d2']);
  });

  it('binds a tabular expression and uses it twice', () => {
    const query = `let risky = Devices | where RiskScore >= 20 | project DeviceId;
      risky | join kind=inner (risky | project Other = DeviceId) on $left.DeviceId == $right.Other | count`;
    expect(run(query).rows).toEqual([{ Count: 2 }]);
  });

  it('binds a bare table name as a tabular alias', () => {
    expect(run('let t = Devices; t | count').rows).toEqual([{ Count: 4 }]);
  });

  it('unions tables, filling missing columns with null', () => {
    const result = run(
      "union Cves, (Vulns | where DeviceId == 'd2') | project CveId, CvssScore, DeviceId",
    );
    expect(result.rows).toEqual([
      { CveId: 'CVE-1', CvssScore: 9.8, DeviceId: '' },
      { CveId: 'CVE-2', CvssScore: 5, DeviceId: '' },
      { CveId: 'CVE-2', CvssScore: null, DeviceId: 'd2' },
      { CveId: 'CVE-1', CvssScore: null, DeviceId: 'd2' },
    ]);
  });

  it('unions as an operator after a pipe', () => {
    expect(run('Cves | union Cves | count').rows).toEqual([{ Count: 4 }]);
  });
});
