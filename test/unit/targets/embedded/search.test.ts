import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeMapped } from '../../../../src/car/batch-builder.ts';
import { mapAlerts } from '../../../../src/car/map-alerts.ts';
import { mapLogonRows } from '../../../../src/car/map-logons.ts';
import { mapMachines } from '../../../../src/car/map-machines.ts';
import { mapSoftwareVulnerabilities } from '../../../../src/car/map-vulnerabilities.ts';
import type { Alert, Machine } from '../../../../src/mde/types.ts';
import type { EmbeddedStore } from '../../../../src/targets/embedded/index.ts';
import { testContext } from '../../car/helpers.ts';
import { beginAndWrite, tempStores } from './temp-store.ts';

const stores = tempStores();
let store: EmbeddedStore;

const LAPTOP: Machine = {
  id: 'm1',
  computerDnsName: 'desktop-01.contoso.com',
  riskScore: 'High',
  exposureLevel: 'Medium',
  deviceValue: 'Normal',
  onboardingStatus: 'Onboarded',
  healthStatus: 'Active',
  osPlatform: 'Windows11',
  version: '23H2',
  lastIpAddress: '10.0.0.5',
  ipAddresses: [
    { ipAddress: '10.0.0.5', macAddress: '02AABB000001' },
    { ipAddress: '2001:db8::5', macAddress: '02AABB000001' },
    { ipAddress: 'fe80::1', macAddress: '02AABB000001' },
  ],
};
const DISCOVERED: Machine = {
  id: 'm2',
  computerDnsName: 'DESKTOP-02',
  onboardingStatus: 'CanBeOnboarded',
  riskScore: 'None',
  lastIpAddress: '10.0.0.6',
  ipAddresses: [{ ipAddress: 'fe80::1' }],
};
const MOVER: Machine = { id: 'm3', computerDnsName: 'mover', lastIpAddress: '10.0.0.9' };
const NEWCOMER: Machine = { id: 'm4', computerDnsName: 'newcomer', lastIpAddress: '10.0.0.9' };
const MERGED: Machine = {
  id: 'm5',
  computerDnsName: 'host-1.example.test',
  mergedIntoMachineId: 'm6',
  lastIpAddress: '10.0.0.7',
};
const SURVIVOR: Machine = {
  id: 'm6',
  computerDnsName: 'host-1.example.test',
  lastIpAddress: '10.0.0.8',
};

beforeAll(async () => {
  store = stores.open();
  const at1 = new Date('2024-05-01T00:00:00Z');
  const ctx1 = testContext({ reportKey: String(at1.getTime()), timestampMs: at1.getTime() });
  await beginAndWrite(store, 'r1', new Date('2024-05-01T00:00:00Z'), [
    mapMachines([LAPTOP, DISCOVERED, MOVER, MERGED, SURVIVOR], ctx1).batch,
  ]);
  await store.finishRun({ outcome: 'ok', summary: {} });

  const at2 = new Date('2024-05-02T00:00:00Z');
  const ctx = testContext({ reportKey: String(at2.getTime()), timestampMs: at2.getTime() });
  const run2 = mergeMapped([
    mapMachines(
      [LAPTOP, DISCOVERED, { ...MOVER, lastIpAddress: '10.0.0.10' }, NEWCOMER, MERGED, SURVIVOR],
      ctx,
    ),
    mapAlerts(
      [
        {
          id: 'a-open',
          machineId: 'm1',
          title: 'Suspicious PowerShell',
          severity: 'High',
          status: 'New',
        },
        {
          id: 'a-closed',
          machineId: 'm1',
          title: 'Old thing',
          severity: 'Low',
          status: 'Resolved',
        },
      ] as Alert[],
      ctx,
    ),
    mapSoftwareVulnerabilities(
      [
        {
          DeviceId: 'm1',
          SoftwareVendor: 'microsoft',
          SoftwareName: 'edge',
          SoftwareVersion: '1.0',
          CveId: 'CVE-2024-0001',
          CvssScore: 9.8,
        },
      ],
      ctx,
    ),
    mapLogonRows([{ DeviceId: 'm1', AccountDomain: 'CONTOSO', AccountName: 'user-1' }], ctx),
  ]);
  await beginAndWrite(store, 'r2', new Date('2024-05-02T00:00:00Z'), [run2.batch]);
  await store.deactivateUnreported({ kind: 'full' });
  await store.applyLifecycle({
    completeListing: true,
    now: new Date('2024-05-02T00:00:00Z'),
    settings: { inactiveGraceDays: 30, missingGraceRuns: 2 },
  });
  await store.finishRun({ outcome: 'ok', summary: {} });
});

afterAll(async () => {
  await stores.cleanup();
});

const currentIds = (kind: 'ip' | 'host' | 'mac', value: string): string[] =>
  store.search(kind, value).current.map((h) => h.asset.externalId);

describe('search by IP address', () => {
  it.each([
    '10.0.0.5',
    ' 10.0.0.5 ',
    '::ffff:10.0.0.5',
    '::FFFF:0A00:0005',
    '0:0:0:0:0:ffff:10.0.0.5',
  ])('finds the holder of 10.0.0.5 when asked as %j', (spelling) => {
    const result = store.search('ip', spelling);
    expect(result.canonical).toBe('10.0.0.5');
    expect(result.query).toBe(spelling);
    expect(result.current.map((h) => h.asset.externalId)).toEqual(['m1']);
  });

  it.each(['2001:db8::5', '2001:DB8::5', '2001:0db8:0000:0000:0000:0000:0000:0005'])(
    'finds the holder of 2001:db8::5 when asked as %s',
    (spelling) => {
      expect(store.search('ip', spelling).canonical).toBe('2001:db8::5');
      expect(currentIds('ip', spelling)).toEqual(['m1']);
    },
  );

  it('describes the holder: name, OS, risk with factors, host names, MACs, users, alerts, CVEs', () => {
    const [holder] = store.search('ip', '10.0.0.5').current;
    expect(holder!.asset).toMatchObject({
      externalId: 'm1',
      name: 'desktop-01.contoso.com',
      os: 'Windows11 23H2',
      hasEdr: true,
      lifecycle: 'active',
      hostnames: ['desktop-01.contoso.com'],
      macAddresses: ['02:aa:bb:00:00:01'],
      users: ['contoso\\user-1'],
      openAlerts: [{ id: 'a-open', title: 'Suspicious PowerShell', severity: 'High' }],
      worstVulnerabilities: [{ id: 'CVE-2024-0001', score: 9.8 }],
    });
    expect(holder!.asset.ipAddresses).toEqual(['10.0.0.5', '2001:db8::5', 'fe80::1']);
    expect(holder!.asset.risk).toMatchObject({ score: 10, level: 'critical' });
    expect(holder!.asset.risk.factors.map((f) => f.name)).toContain('openAlerts');
    expect(holder!.firstSeen).toBe('2024-05-01T00:00:00.000Z');
    expect(holder!.lastSeen).toBe('2024-05-02T00:00:00.000Z');
  });

  it('shows a device without EDR with unknown risk, not low', () => {
    const [holder] = store.search('ip', '10.0.0.6').current;
    expect(holder!.asset).toMatchObject({
      externalId: 'm2',
      hasEdr: false,
      risk: { score: null, level: 'unknown' },
    });
  });

  it('lists the asset that held an address before as a past holder with first and last seen', () => {
    const result = store.search('ip', '10.0.0.9');
    expect(result.current.map((h) => h.asset.externalId)).toEqual(['m4']);
    expect(result.past.map((h) => [h.asset.externalId, h.firstSeen, h.lastSeen])).toEqual([
      ['m3', '2024-05-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z'],
    ]);
  });

  it('never returns a merged machine as a current holder (B13)', () => {
    const result = store.search('ip', '10.0.0.7');
    expect(result.current).toEqual([]);
    expect(result.past.map((h) => [h.asset.externalId, h.asset.lifecycle])).toEqual([
      ['m5', 'disabled'],
    ]);
  });

  it('finds a link-local address only on the assets that reported it, with a note', () => {
    const result = store.search('ip', 'FE80::1');
    expect(result.note).toContain('link-local');
    expect(result.current.map((h) => h.asset.externalId).sort()).toEqual(['m1', 'm2']);
    expect(store.search('mac', '02:aa:bb:00:00:01').current.map((h) => h.asset.externalId)).toEqual(
      ['m1'],
    );
  });

  it('answers a loopback address with a note and no holders', () => {
    expect(store.search('ip', '::1')).toMatchObject({ canonical: '::1', current: [], past: [] });
    expect(store.search('ip', '127.0.0.1').note).toContain('loopback');
  });
});

describe('search by MAC and host name', () => {
  it.each(['02-AA-BB-00-00-01', '02aabb000001', '02aa.bb00.0001', '02:AA:BB:00:00:01'])(
    'finds the MAC when asked as %s',
    (spelling) => {
      expect(store.search('mac', spelling).canonical).toBe('02:aa:bb:00:00:01');
      expect(currentIds('mac', spelling)).toEqual(['m1']);
    },
  );

  it('finds host names in any case, and a short name finds the FQDN it starts', () => {
    expect(currentIds('host', 'DESKTOP-01.Contoso.COM')).toEqual(['m1']);
    expect(currentIds('host', 'desktop-01')).toEqual(['m1']);
    expect(currentIds('host', 'Desktop-02')).toEqual(['m2']);
    expect(currentIds('host', 'desktop')).toEqual([]);
  });

  it('filters by source when asked', () => {
    expect(store.search('ip', '10.0.0.5', { source: 'other' }).current).toEqual([]);
  });
});

describe('malformed search input', () => {
  it.each([
    ['ip', 'not-an-ip'],
    ['ip', ''],
    ['ip', '-'],
    ['mac', 'zz:zz'],
    ['host', 'bad name'],
    ['port', '80'],
  ] as const)('refuses %s %j with SEARCH_INPUT_INVALID and a clear message', (kind, value) => {
    let caught: unknown;
    try {
      store.search(kind as 'ip', value);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'SEARCH_INPUT_INVALID' });
    expect((caught as Error).message).toMatch(/is not|unknown search kind/);
  });
});
