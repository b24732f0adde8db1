import { describe, expect, it } from 'vitest';
import { mapMachines } from '../../../src/car/map-machines.ts';
import { validateBatch } from '../../../src/car/schema.ts';
import type { Machine } from '../../../src/mde/types.ts';
import { edge, edgeList, REPORT_MS, testContext, vertex, vertexIds } from './helpers.ts';
import { HAS_SAMPLES, readSample, SAMPLES_NOTE, sampleValues } from './samples.ts';

const DESKTOP = '4f1c2b9a7d3e5f60812a9b4c6d7e8f9012345678';
const C_LAB_08 = '0e23b8b23abcdefabcdef6f877b45d19c04a522d';
const C_LAB_31 = '2fcd7073abcdefabcdef92b29b28987144c9c48a';
const BDP = '1d29e91fabcdefabcdef5a03284c189cf20aa4c2';
const DLP = 'c114cb1c0b827fabcdefabcdef2b9cfd469c091b';
const CLW = '72d63195dcd8aaabcdefabcdef123456960cc83d';

describe.skipIf(!HAS_SAMPLES)(`mapping machines-page.json${SAMPLES_NOTE}`, () => {
  const ctx = testContext();
  const mapped = HAS_SAMPLES
    ? mapMachines(sampleValues<Machine>('machines-page.json'), ctx)
    : undefined!;
  const batch = mapped?.batch;

  it('validates every emitted record against the CAR import schema', () => {
    expect(validateBatch(batch)).toEqual({ ok: true });
  });

  it('maps each machine to one asset keyed by machine id with its Defender fields', () => {
    expect(vertexIds(batch, 'asset')).toEqual([C_LAB_08, BDP, C_LAB_31, DESKTOP, CLW, DLP].sort());
    const desktop = vertex(batch, 'asset', DESKTOP)!;
    expect(desktop.name).toBe('desktop-01');
    expect(desktop.description).toBe('Windows10 21H2 x64');
    expect(desktop.business_value).toBe(5);
    expect(desktop.first_seen).toBe(Date.UTC(2023, 3, 19, 13, 27, 53, 161));
    expect(desktop.last_seen).toBe(Date.UTC(2023, 4, 4, 17, 40, 5, 684));
    expect(desktop.properties).toMatchObject({
      riskScore: 'Medium',
      exposureLevel: 'High',
      deviceValue: 'Normal',
      onboardingStatus: 'Onboarded',
      healthStatus: 'Active',
      lastSeen: '2023-05-04T17:40:05.684607Z',
      isPotentialDuplication: false,
      mergedIntoMachineId: null,
      osPlatform: 'Windows10',
      hasEdr: true,
    });
    expect(vertex(batch, 'asset', C_LAB_31)!.name).toBe('C-Lab-31');
  });

  it('keys host names in lower case and links each asset to its host name', () => {
    expect(vertexIds(batch, 'hostname')).toContain('c-lab-31');
    expect(vertex(batch, 'hostname', 'c-lab-31')).toEqual({
      _key: 'c-lab-31',
      host_name: 'c-lab-31',
      external_id: 'c-lab-31',
    });
    expect(edge(batch, 'asset_hostname', C_LAB_31, 'c-lab-31')).toMatchObject({
      _from_external_id: C_LAB_31,
      _to: 'hostname/c-lab-31',
      active: true,
      source: 'mde-test',
      report: String(REPORT_MS),
      timestamp: REPORT_MS,
    });
    expect(ctx.hostnames?.get(C_LAB_31)).toBe('c-lab-31');
  });

  it('maps every IP of desktop-01 (last, external, every adapter) and drops loopbacks', () => {
    expect(edgeList(batch, 'asset_ipaddress').filter((e) => e.startsWith(DESKTOP))).toEqual(
      [
        `${DESKTOP} -> 169.254.5.16%${DESKTOP}`,
        `${DESKTOP} -> 172.20.10.4`,
        `${DESKTOP} -> 172.20.10.5`,
        `${DESKTOP} -> 2001:db8:b06a:4c66:103a:4e1b:bd95:793e`,
        `${DESKTOP} -> 2001:db8:b06a:4c66:f78f:83dc:7271:383e`,
        `${DESKTOP} -> 203.0.113.45`,
        `${DESKTOP} -> fe80::359c:fd3a:8880:ddb6%${DESKTOP}`,
        `${DESKTOP} -> fe80::f1fc:1543:f2f4:228d%${DESKTOP}`,
      ].sort(),
    );
    expect(vertex(batch, 'ipaddress', '203.0.113.45')).toEqual({
      _key: '203.0.113.45',
      name: '203.0.113.45',
      properties: { family: 4, scope: 'reserved' },
    });
    expect(vertex(batch, 'ipaddress', `fe80::359c:fd3a:8880:ddb6%${DESKTOP}`)).toEqual({
      _key: `fe80::359c:fd3a:8880:ddb6%${DESKTOP}`,
      name: 'fe80::359c:fd3a:8880:ddb6',
      properties: { family: 6, scope: 'linkLocal', zone: DESKTOP },
    });
  });

  it('maps every MAC of every adapter, canonical, and pairs each adapter IP with its MAC', () => {
    expect(edgeList(batch, 'asset_macaddress').filter((e) => e.startsWith(DESKTOP))).toEqual([
      `${DESKTOP} -> 00:0c:29:a1:b2:c3`,
      `${DESKTOP} -> 00:0c:29:a1:b2:cd`,
      `${DESKTOP} -> 14:7d:da:0a:0b:0c`,
    ]);
    expect(vertex(batch, 'macaddress', '00:0c:29:a1:b2:cd')).toEqual({
      _key: '00:0c:29:a1:b2:cd',
      name: '00:0c:29:a1:b2:cd',
      interface: 'Ethernet',
    });
    const pairs = edgeList(batch, 'ipaddress_macaddress');
    expect(pairs).toContain('172.20.10.5 -> 00:0c:29:a1:b2:c3');
    expect(pairs).toContain('172.20.10.4 -> 00:0c:29:a1:b2:cd');
    expect(pairs).toContain('2001:db8:b06a:4c66:f78f:83dc:7271:383e -> 00:0c:29:a1:b2:cd');
    expect(pairs).toContain(`169.254.5.16%${DESKTOP} -> 14:7d:da:0a:0b:0c`);
    expect(edge(batch, 'ipaddress_macaddress', '172.20.10.4', '00:0c:29:a1:b2:cd')).toMatchObject({
      _from: 'ipaddress/172.20.10.4',
      _to: 'macaddress/00:0c:29:a1:b2:cd',
    });
  });

  it('shares one vertex for an address several machines report, and keeps public IPs', () => {
    expect(
      edgeList(batch, 'asset_ipaddress').filter((e) => e.endsWith('-> 2001:db8:cf40::')),
    ).toEqual(
      [
        `${BDP} -> 2001:db8:cf40::`,
        `${C_LAB_31} -> 2001:db8:cf40::`,
        `${CLW} -> 2001:db8:cf40::`,
        `${DLP} -> 2001:db8:cf40::`,
      ].sort(),
    );
    expect(
      edgeList(batch, 'asset_macaddress').filter((e) => e.endsWith('00:00:5e:00:53:ff')),
    ).toEqual([`${BDP} -> 00:00:5e:00:53:ff`, `${C_LAB_08} -> 00:00:5e:00:53:ff`].sort());
    expect((batch.vertices.ipaddress ?? []).filter((v) => v._key === '198.51.100.10')).toHaveLength(
      1,
    );
  });

  it('drops multicast, all-zero and missing MACs and loopback IPs, and counts them', () => {
    expect(mapped.counters).toEqual({
      'ipDropped.loopback': 8,
      'macDropped.empty': 6,
      'macDropped.multicast': 1,
      'macDropped.allZero': 2,
    });
    expect(vertexIds(batch, 'macaddress')).not.toContain('01:00:5e:90:10:00');
    expect(edgeList(batch, 'asset_macaddress').filter((e) => e.startsWith(C_LAB_31))).toEqual([]);
    expect(mapped.skipped).toEqual([]);
  });

  it('maps the OS to an application keyed by platform and version, linked to the asset', () => {
    expect(vertex(batch, 'application', 'os:windows10:21h2')).toEqual({
      external_id: 'os:windows10:21h2',
      name: 'Windows10 21H2',
      is_os: true,
      properties: { platform: 'Windows10', version: '21H2' },
    });
    expect(edgeList(batch, 'asset_application')).toContain(`${DESKTOP} -> os:windows10:21h2`);
    expect(edgeList(batch, 'asset_application')).toContain(
      `${C_LAB_31} -> os:redhatenterpriselinux:9.5`,
    );
  });
});

describe.skipIf(!HAS_SAMPLES)(`mapping single-machine samples${SAMPLES_NOTE}`, () => {
  it('records the MAC of an adapter whose IP is the empty string and counts the empty IP', () => {
    const { batch, counters } = mapMachines(
      sampleValues<Machine>('machines-edge-empty-ip.json'),
      testContext(),
    );
    expect(edgeList(batch, 'asset_macaddress')).toEqual([
      `${CLW} -> 00:00:5e:00:53:01`,
      `${CLW} -> 00:00:5e:00:53:0a`,
    ]);
    expect(edgeList(batch, 'ipaddress_macaddress')).toEqual([
      '2001:db8:cf40:: -> 00:00:5e:00:53:0a',
    ]);
    expect(counters['ipDropped.empty']).toBe(1);
    expect(validateBatch(batch)).toEqual({ ok: true });
  });

  it('maps machine-single.json with its four adapters and link-local addresses per asset', () => {
    const { batch } = mapMachines([readSample<Machine>('machine-single.json')], testContext());
    expect(vertex(batch, 'asset', '123')).toMatchObject({ name: 'test-node', business_value: 5 });
    expect(vertexIds(batch, 'macaddress')).toEqual([
      '00:11:22:33:44:18',
      '00:11:22:33:44:22',
      '00:11:22:33:44:2c',
      '00:11:22:33:44:36',
    ]);
    expect(vertexIds(batch, 'ipaddress')).toEqual(
      [
        '192.0.2.10',
        '192.0.2.11',
        '192.0.2.12',
        '192.0.2.135',
        '203.0.113.22',
        'fe80::2413:e4aa:a3f4:d5bf%123',
        'fe80::55b9:7f5a:6e9c:30ed%123',
        'fe80::65a8:d227:e97b:8220%123',
        'fe80::c3:b878:f6fd:ae4b%123',
      ].sort(),
    );
    expect(validateBatch(batch)).toEqual({ ok: true });
  });

  it('maps the older documented shape without adapter types or onboarding status', () => {
    const { batch } = mapMachines(
      sampleValues<Machine>('machines-docs-example.json'),
      testContext(),
    );
    const asset = vertex(batch, 'asset', '1e5bc9d7e413ddd7902c2932e418702b84d0cc07')!;
    expect(asset.name).toBe('mymachine1.contoso.com');
    expect(asset.properties).toMatchObject({
      hasEdr: true,
      riskScore: 'High',
      machineTags: ['Tag1', 'Tag2'],
    });
    expect(vertex(batch, 'macaddress', '8c:ec:4b:89:7e:73')).toEqual({
      _key: '8c:ec:4b:89:7e:73',
      name: '8c:ec:4b:89:7e:73',
    });
    expect(validateBatch(batch)).toEqual({ ok: true });
  });
});
