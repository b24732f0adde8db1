/**
 * Small hand-written tables for the KQL engine tests, and a helper that runs a query over
 * them with a fixed clock (2024-03-04T00:00:00Z) so `ago()` results are known.
 */

import {
  executeKql,
  type KqlResult,
  type KqlTable,
  type KqlTables,
} from '../../../../src/simulator/kql/index.ts';

export const NOW = new Date('2024-03-04T00:00:00Z');

/** Four DeviceInfo-like rows: d1 twice, d2, and d3 with nulls; mixed fractional digits. */
export const DEVICES: KqlTable = {
  name: 'Devices',
  columns: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'DeviceId', type: 'string' },
    { name: 'DeviceName', type: 'string' },
    { name: 'OSPlatform', type: 'string' },
    { name: 'RiskScore', type: 'long' },
    { name: 'Tags', type: 'dynamic' },
    { name: 'ReportId', type: 'long' },
    { name: 'IsAzureADJoined', type: 'bool' },
    { name: 'Score', type: 'real' },
  ],
  rows: [
    {
      Timestamp: '2024-03-01T10:00:00Z',
      DeviceId: 'd1',
      DeviceName: 'alpha.contoso.com',
      OSPlatform: 'Windows10',
      RiskScore: 10,
      Tags: '["vip","lab"]',
      ReportId: 639199916335081329n,
      IsAzureADJoined: true,
      Score: 1.5,
    },
    {
      Timestamp: '2024-03-02T10:00:00.1234567Z',
      DeviceId: 'd1',
      DeviceName: 'alpha.contoso.com',
      OSPlatform: 'Windows10',
      RiskScore: 30,
      Tags: ['vip'],
      ReportId: 2,
      IsAzureADJoined: true,
      Score: 2.5,
    },
    {
      Timestamp: '2024-03-02T10:00:00.1234568Z',
      DeviceId: 'd2',
      DeviceName: 'Beta-Server',
      OSPlatform: 'WindowsServer2019',
      RiskScore: 20,
      Tags: '[]',
      ReportId: 3,
      IsAzureADJoined: false,
      Score: null,
    },
    {
      Timestamp: '2024-03-03T00:00:00.5Z',
      DeviceId: 'd3',
      DeviceName: 'gamma',
      OSPlatform: null,
      RiskScore: null,
      Tags: null,
      ReportId: 4,
      IsAzureADJoined: null,
      Score: 0,
    },
  ],
};

/** Network rows with IPAddresses as JSON text (as tables hold it) and one as an array. */
export const NETWORK: KqlTable = {
  name: 'Network',
  columns: [
    { name: 'Timestamp', type: 'datetime' },
    { name: 'DeviceId', type: 'string' },
    { name: 'Adapter', type: 'string' },
    { name: 'MacAddress', type: 'string' },
    { name: 'IPAddresses', type: 'dynamic' },
  ],
  rows: [
    {
      Timestamp: '2024-03-01T00:00:00Z',
      DeviceId: 'd1',
      Adapter: 'eth0',
      MacAddress: '000D3A9EC781',
      IPAddresses:
        '[{"IPAddress":"10.0.0.4","SubnetPrefix":26},{"IPAddress":"fe80::1","SubnetPrefix":64}]',
    },
    {
      Timestamp: '2024-03-02T00:00:00Z',
      DeviceId: 'd1',
      Adapter: 'eth0',
      MacAddress: '000D3A9EC782',
      IPAddresses: [{ IPAddress: '10.0.0.5', SubnetPrefix: 26 }],
    },
    {
      Timestamp: '2024-03-01T12:00:00Z',
      DeviceId: 'd2',
      Adapter: 'wlan0',
      MacAddress: '00-00-00-00-00-00',
      IPAddresses: '[]',
    },
  ],
};

/** CVE details keyed by CveId, for joins. */
export const CVES: KqlTable = {
  name: 'Cves',
  columns: [
    { name: 'CveId', type: 'string' },
    { name: 'CvssScore', type: 'real' },
  ],
  rows: [
    { CveId: 'CVE-1', CvssScore: 9.8 },
    { CveId: 'CVE-2', CvssScore: 5 },
  ],
};

/** Vulnerabilities per device; CVE-3 has no detail row. */
export const VULNS: KqlTable = {
  name: 'Vulns',
  columns: [
    { name: 'DeviceId', type: 'string' },
    { name: 'CveId', type: 'string' },
  ],
  rows: [
    { DeviceId: 'd1', CveId: 'CVE-1' },
    { DeviceId: 'd1', CveId: 'CVE-3' },
    { DeviceId: 'd2', CveId: 'CVE-2' },
    { DeviceId: 'd2', CveId: 'CVE-1' },
  ],
};

/** Looks tables up by exact name. */
export function tablesOf(...tables: KqlTable[]): KqlTables {
  const byName = new Map(tables.map((t) => [t.name, t]));
  return { get: (name) => byName.get(name) };
}

const ALL = tablesOf(DEVICES, NETWORK, CVES, VULNS);

/** Runs a query over the test tables at NOW. */
export function run(query: string, maxRows = 1000, tables: KqlTables = ALL): KqlResult {
  return executeKql(query, tables, { now: NOW, maxRows });
}

/** The values of one column of a query's result, in row order. */
export function column(query: string, name: string): unknown[] {
  return run(query).rows.map((row) => row[name]);
}
