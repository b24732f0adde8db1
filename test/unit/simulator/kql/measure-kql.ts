/**
 * Times the advanced-hunting queries the sync engine sends, over generated tables of the sizes
 * it meets (300,000 network rows, 500,000 vulnerability rows). Not a test: run it by hand with
 * `npx tsx test/unit/simulator/kql/measure-kql.ts` and read the timings.
 */

import { executeKql, type KqlTable } from '../../../../src/simulator/kql/index.ts';

const DEVICES = 50_000;
const NOW = new Date('2026-01-31T00:00:00Z');

function deviceId(i: number): string {
  return (i * 2654435761).toString(16).padStart(40, '0').slice(-40);
}

function timestamp(i: number): string {
  const ms = NOW.getTime() - (i % (40 * 86_400)) * 1000 - (i % 997);
  const digits = i % 8;
  const iso = new Date(ms).toISOString().slice(0, 19);
  return digits === 0
    ? `${iso}Z`
    : `${iso}.${String(i % 9_999_999)
        .padStart(7, '1')
        .slice(0, digits)}Z`;
}

function networkInfo(rows: number): KqlTable {
  const columns = [
    'Timestamp:datetime',
    'DeviceId:string',
    'NetworkAdapterName:string',
    'MacAddress:string',
  ]
    .concat([
      'NetworkAdapterType:string',
      'NetworkAdapterStatus:string',
      'IPAddresses:dynamic',
      'ReportId:long',
    ])
    .map((c) => ({ name: c.split(':')[0] as string, type: c.split(':')[1] as 'string' }));
  const data = Array.from({ length: rows }, (_, i) => ({
    Timestamp: timestamp(i),
    DeviceId: deviceId(i % DEVICES),
    NetworkAdapterName: `{ADAPTER-${i % 3}}`,
    MacAddress: (i % 16_777_215).toString(16).padStart(12, '0'),
    NetworkAdapterType: i % 2 ? 'Ethernet' : 'Wireless80211',
    NetworkAdapterStatus: 'Up',
    IPAddresses: `[{"IPAddress":"10.0.${i % 250}.${i % 199}","SubnetPrefix":24,"AddressType":"Private"}]`,
    ReportId: 639199916335081329n + BigInt(i),
  }));
  return { name: 'DeviceNetworkInfo', columns, rows: data };
}

function logonEvents(rows: number): KqlTable {
  const columns = [
    'Timestamp:datetime',
    'DeviceId:string',
    'AccountDomain:string',
    'AccountName:string',
  ]
    .concat(['AccountSid:string', 'ActionType:string'])
    .map((c) => ({ name: c.split(':')[0] as string, type: c.split(':')[1] as 'string' }));
  const data = Array.from({ length: rows }, (_, i) => ({
    Timestamp: timestamp(i),
    DeviceId: deviceId(i % DEVICES),
    AccountDomain: `dom${i % 5}`,
    AccountName: `user${i % 3000}`,
    AccountSid: `S-1-5-21-${i % 3000}`,
    ActionType: i % 10 ? 'LogonSuccess' : 'LogonFailed',
  }));
  return { name: 'DeviceLogonEvents', columns, rows: data };
}

function vulnerabilities(rows: number): KqlTable[] {
  const cve = (i: number) => `CVE-2024-${String(i % 20_000).padStart(5, '0')}`;
  const vulns = Array.from({ length: rows }, (_, i) => ({
    DeviceId: deviceId(i % DEVICES),
    DeviceName: `host-${i % DEVICES}`,
    CveId: cve(i * 7),
    SoftwareName: `app${i % 400}`,
  }));
  const kb = Array.from({ length: 20_000 }, (_, i) => ({
    CveId: cve(i),
    CvssScore: (i % 100) / 10,
    PublishedDate: timestamp(i),
    VulnerabilityDescription: `Description of ${cve(i)}`,
  }));
  const s = (name: string) => ({ name, type: 'string' as const });
  return [
    {
      name: 'DeviceTvmSoftwareVulnerabilities',
      columns: ['DeviceId', 'DeviceName', 'CveId', 'SoftwareName'].map(s),
      rows: vulns,
    },
    {
      name: 'DeviceTvmSoftwareVulnerabilitiesKB',
      columns: [
        s('CveId'),
        { name: 'CvssScore', type: 'real' },
        { name: 'PublishedDate', type: 'datetime' },
        s('VulnerabilityDescription'),
      ],
      rows: kb,
    },
  ];
}

const all = [networkInfo(300_000), logonEvents(300_000), ...vulnerabilities(500_000)];
const tables = new Map(all.map((t) => [t.name, t]));

const QUERIES = [
  'DeviceNetworkInfo | where Timestamp > ago(30d) | where hash(DeviceId) % 4 == 1 | summarize arg_max(Timestamp, *) by DeviceId, NetworkAdapterName | project DeviceId, MacAddress, IPAddresses, NetworkAdapterType, NetworkAdapterStatus',
  'DeviceLogonEvents | where Timestamp > ago(30d) and ActionType == "LogonSuccess" | summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp) by DeviceId, AccountDomain, AccountName, AccountSid',
  'DeviceTvmSoftwareVulnerabilities | where hash(DeviceId) % 16 == 0 | join kind=leftouter (DeviceTvmSoftwareVulnerabilitiesKB | project CveId, CvssScore, PublishedDate, VulnerabilityDescription) on CveId | project DeviceId, CveId, CvssScore, PublishedDate',
  'DeviceNetworkInfo | where hash(DeviceId) % 8 == 3 | mv-expand ip = parse_json(IPAddresses) | extend IPAddress = tostring(ip.IPAddress) | summarize make_set(IPAddress) by DeviceId',
];

for (const query of QUERIES.flatMap((q) => [q, q])) {
  const started = performance.now();
  const result = executeKql(query, tables, { now: NOW, maxRows: 1_000_000 });
  const elapsedMs = Math.round(performance.now() - started);
  console.log(
    `${String(elapsedMs).padStart(6)} ms  ${String(result.rows.length).padStart(7)} rows  ${query.slice(0, 90)}…`,
  );
}
