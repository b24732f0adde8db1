import { describe, expect, it } from 'vitest';
import { redirectMachineId } from '../../../src/car/context.ts';
import { mapAlerts } from '../../../src/car/map-alerts.ts';
import { mapLogonRows, mapLogonUsers } from '../../../src/car/map-logons.ts';
import { mapMachines } from '../../../src/car/map-machines.ts';
import { mapNetworkRows } from '../../../src/car/map-network.ts';
import { validateBatch } from '../../../src/car/schema.ts';
import type { Alert, Machine, NetworkInfoRow } from '../../../src/mde/types.ts';
import { edgeList, testContext, vertex, vertexIds } from './helpers.ts';

const id = (n: number): string => `aaaa${'0'.repeat(32)}${String(n).padStart(4, '0')}`;

describe('B13: one computer, several machine ids', () => {
  const machines: Machine[] = [
    {
      id: id(1),
      computerDnsName: 'host-1.example.test',
      healthStatus: 'Inactive',
      lastSeen: '2024-01-05T00:00:00Z',
      mergedIntoMachineId: id(2),
      isPotentialDuplication: false,
      lastIpAddress: '10.0.0.7',
    },
    {
      id: id(2),
      computerDnsName: 'host-1.example.test',
      healthStatus: 'Active',
      lastSeen: '2024-05-01T00:00:00Z',
      mergedIntoMachineId: null,
      isPotentialDuplication: false,
      lastIpAddress: '10.0.0.8',
      riskScore: 'High',
    },
    {
      id: id(3),
      computerDnsName: 'host-1.example.test',
      healthStatus: 'Active',
      lastSeen: '2024-04-30T00:00:00Z',
      mergedIntoMachineId: null,
      isPotentialDuplication: true,
      lastIpAddress: '10.0.0.9',
    },
  ];

  it('maps a merged machine as a redirect record whose edges are all inactive', () => {
    const ctx = testContext();
    const { batch } = mapMachines(machines, ctx);
    expect(vertex(batch, 'asset', id(1))!.properties).toMatchObject({
      mergedInto: id(2),
      mergedIntoMachineId: id(2),
    });
    expect(edgeList(batch, 'asset_ipaddress')).toEqual([
      `${id(1)} -> 10.0.0.7 (inactive)`,
      `${id(2)} -> 10.0.0.8`,
      `${id(3)} -> 10.0.0.9`,
    ]);
    expect(edgeList(batch, 'asset_hostname').filter((e) => e.startsWith(id(1)))).toEqual([
      `${id(1)} -> host-1.example.test (inactive)`,
    ]);
    expect(validateBatch(batch)).toEqual({ ok: true });
  });

  it('keeps every id as its own asset, never keyed by DNS name, and flags the possible duplicate', () => {
    const { batch } = mapMachines(machines, testContext());
    expect(vertexIds(batch, 'asset')).toEqual([id(1), id(2), id(3)]);
    expect(vertex(batch, 'asset', id(3))!.properties).toMatchObject({
      isPotentialDuplication: true,
      possibleDuplicateOf: 'host-1.example.test',
    });
    expect(vertex(batch, 'asset', id(2))!.properties!.possibleDuplicateOf).toBeUndefined();
  });

  it('links an alert of the merged machine to the surviving machine, also through chains', () => {
    const ctx = testContext();
    mapMachines(machines, ctx);
    const { batch, counters } = mapAlerts(
      [{ id: 'daC', machineId: id(1), status: 'New' } as Alert],
      ctx,
    );
    expect(edgeList(batch, 'asset_vulnerability')).toEqual([`${id(2)} -> daC`]);
    expect(counters['alerts.redirectedToSurvivor']).toBe(1);

    ctx.mergedInto!.set(id(2), id(4));
    expect(redirectMachineId(ctx, id(1))).toBe(id(4));
    ctx.mergedInto!.set(id(4), id(1));
    expect(typeof redirectMachineId(ctx, id(1))).toBe('string');
  });

  it('skips network and sign-in rows of a merged machine instead of moving them', () => {
    const ctx = testContext();
    mapMachines(machines, ctx);
    const network = mapNetworkRows(
      [{ DeviceId: id(1), MacAddress: '02AA00000001', IPAddresses: '[]' }],
      ctx,
    );
    expect(network.skipped).toEqual([{ entity: 'networkRow', reason: 'mergedMachine', id: id(1) }]);
    const logons = mapLogonRows(
      [{ DeviceId: id(1), AccountDomain: 'contoso', AccountName: 'user-1' }],
      ctx,
    );
    expect(logons.skipped).toEqual([{ entity: 'account', reason: 'mergedMachine', id: id(1) }]);
  });
});

describe('B14: empty, null or "-" IP values', () => {
  it('imports both assets, makes no IP vertex for any placeholder, and keeps the MAC', () => {
    const { batch, counters } = mapMachines(
      [
        {
          id: id(1),
          lastIpAddress: '',
          lastExternalIpAddress: null,
          ipAddresses: [
            {
              ipAddress: '',
              macAddress: '02AA00000001',
              type: 'Ethernet',
              operationalStatus: 'Up',
            },
          ],
        },
        { id: id(2), lastIpAddress: '-', lastExternalIpAddress: '-', ipAddresses: [] },
        {
          id: id(3),
          lastIpAddress: '0.0.0.0',
          lastExternalIpAddress: '::',
          ipAddresses: [{ ipAddress: null }, { ipAddress: 'n/a' }],
        },
      ],
      testContext(),
    );
    expect(vertexIds(batch, 'asset')).toEqual([id(1), id(2), id(3)]);
    expect(batch.vertices.ipaddress).toBeUndefined();
    expect(edgeList(batch, 'asset_macaddress')).toEqual([`${id(1)} -> 02:aa:00:00:00:01`]);
    expect(counters).toMatchObject({
      'ipDropped.empty': 4,
      'ipDropped.placeholder': 3,
      'ipDropped.unspecified': 2,
    });
  });

  it('names an asset without a DNS name by its id instead of dropping it', () => {
    const { batch } = mapMachines([{ id: id(1), computerDnsName: null }], testContext());
    expect(vertex(batch, 'asset', id(1))!.name).toBe(id(1));
    expect(batch.vertices.hostname).toBeUndefined();
    expect(validateBatch(batch)).toEqual({ ok: true });
  });
});

describe('B16: IPAddresses as a JSON string, an array, or not JSON', () => {
  it('reads the string and the array forms, flags link-local per asset, and skips bad JSON', () => {
    const rows: NetworkInfoRow[] = [
      {
        DeviceId: id(1),
        MacAddress: '02AA00000001',
        IPAddresses:
          '[{"IPAddress":"10.0.0.5","SubnetPrefix":24,"AddressType":"Private"},{"IPAddress":"fe80::1","SubnetPrefix":64,"AddressType":"LinkLocal"}]',
      },
      {
        DeviceId: id(2),
        MacAddress: '02AA00000002',
        IPAddresses: [
          { IPAddress: '100.64.0.9', SubnetPrefix: 32, AddressType: 'CarrierGradeNat' },
        ],
      },
      { DeviceId: id(3), MacAddress: '02AA00000003', IPAddresses: 'not json' },
      { DeviceId: id(4), MacAddress: '02AA00000004', IPAddresses: '{"IPAddress":"10.0.0.6"}' },
    ];
    const { batch, skipped } = mapNetworkRows(rows, testContext());
    expect(edgeList(batch, 'asset_ipaddress')).toEqual([
      `${id(1)} -> 10.0.0.5`,
      `${id(1)} -> fe80::1%${id(1)}`,
      `${id(2)} -> 100.64.0.9`,
    ]);
    expect(skipped).toEqual([
      { entity: 'networkRow', reason: 'badJson', id: id(3) },
      { entity: 'networkRow', reason: 'notArray', id: id(4) },
    ]);
  });

  it('never lets two assets share a link-local address vertex', () => {
    const rows: NetworkInfoRow[] = [
      { DeviceId: id(1), IPAddresses: [{ IPAddress: 'fe80::1' }, { IPAddress: '169.254.1.1' }] },
      { DeviceId: id(2), IPAddresses: [{ IPAddress: 'FE80::1' }, { IPAddress: '169.254.1.1' }] },
    ];
    const { batch } = mapNetworkRows(rows, testContext());
    expect(vertexIds(batch, 'ipaddress')).toEqual([
      `169.254.1.1%${id(1)}`,
      `169.254.1.1%${id(2)}`,
      `fe80::1%${id(1)}`,
      `fe80::1%${id(2)}`,
    ]);
    expect(validateBatch(batch)).toEqual({ ok: true });
  });
});

describe('B17: MAC addresses in several formats', () => {
  it('maps three spellings of one MAC to one vertex and never makes a vertex of placeholders', () => {
    const ctx = testContext();
    const machines = mapMachines(
      [{ id: id(1), ipAddresses: [{ ipAddress: '10.0.0.5', macAddress: '02AABB000001' }] }],
      ctx,
    );
    const rows = mapNetworkRows(
      [
        { DeviceId: id(1), MacAddress: '02-AA-BB-00-00-01', IPAddresses: [] },
        { DeviceId: id(1), MacAddress: '02:aa:bb:00:00:01', IPAddresses: [] },
        { DeviceId: id(2), MacAddress: '00-00-00-00-00-00', IPAddresses: [] },
        { DeviceId: id(2), MacAddress: '00000000000000E0', IPAddresses: [] },
      ],
      ctx,
    );
    expect(vertexIds(machines.batch, 'macaddress')).toEqual(['02:aa:bb:00:00:01']);
    expect(vertexIds(rows.batch, 'macaddress')).toEqual(['02:aa:bb:00:00:01']);
    expect(edgeList(rows.batch, 'asset_macaddress')).toEqual([`${id(1)} -> 02:aa:bb:00:00:01`]);
    expect(rows.counters).toEqual({ 'macDropped.allZero': 1, 'macDropped.placeholder': 1 });
  });

  it('keeps a real EUI-64 value as an asset attribute, not a shared vertex', () => {
    const { batch } = mapMachines(
      [
        {
          id: id(1),
          ipAddresses: [{ ipAddress: '10.0.0.5', macAddress: '02-1B-63-FF-FE-84-45-E6' }],
        },
      ],
      testContext(),
    );
    expect(batch.vertices.macaddress).toBeUndefined();
    expect(vertex(batch, 'asset', id(1))!.properties!.eui64Addresses).toEqual([
      '02:1b:63:ff:fe:84:45:e6',
    ]);
  });
});

describe('B19: discovered devices without EDR', () => {
  const machines: Machine[] = [
    {
      id: id(1),
      onboardingStatus: 'Onboarded',
      riskScore: 'Medium',
      exposureLevel: 'Low',
      healthStatus: 'Active',
    },
    {
      id: id(2),
      onboardingStatus: 'CanBeOnboarded',
      riskScore: 'None',
      exposureLevel: 'None',
      healthStatus: 'Inactive',
      agentVersion: null,
    },
    { id: id(3), onboardingStatus: 'Unsupported', riskScore: 'None' },
    { id: id(4), onboardingStatus: 'InsufficientInfo' },
  ];

  it('keeps every device and marks those not onboarded as having no EDR', () => {
    const { batch, counters } = mapMachines(machines, testContext({ includeUnmanaged: true }));
    expect(vertexIds(batch, 'asset')).toEqual([id(1), id(2), id(3), id(4)]);
    expect(vertex(batch, 'asset', id(1))!.properties!.hasEdr).toBe(true);
    for (const n of [2, 3, 4])
      expect(vertex(batch, 'asset', id(n))!.properties!.hasEdr).toBe(false);
    expect(counters['machines.noEdr']).toBe(3);
  });

  it('writes only onboarded devices when unmanaged ones are excluded, counting the rest', () => {
    const { batch, skipped } = mapMachines(machines, testContext({ includeUnmanaged: false }));
    expect(vertexIds(batch, 'asset')).toEqual([id(1)]);
    expect(skipped.map((s) => `${s.id}:${s.reason}`)).toEqual([
      `${id(2)}:unmanaged`,
      `${id(3)}:unmanaged`,
      `${id(4)}:unmanaged`,
    ]);
  });
});

describe('B25: empty arrays and empty pages', () => {
  it('stores an alert with empty evidence and links it to its machine', () => {
    const alert = {
      id: 'daE',
      machineId: id(1),
      title: 'Automated investigation started',
      severity: 'Informational',
      status: 'Resolved',
      evidence: [],
      loggedOnUsers: [],
      mitreTechniques: [],
      comments: [],
      lastUpdateTime: '2024-03-08T10:45:56.5966667Z',
    } as Alert;
    const { batch } = mapAlerts([alert], testContext());
    expect(vertex(batch, 'vulnerability', 'daE')).toMatchObject({
      updated_on: Date.UTC(2024, 2, 8, 10, 45, 56, 596),
      properties: { evidenceCount: 0, mitreTechniques: [] },
    });
    expect(edgeList(batch, 'asset_vulnerability')).toEqual([`${id(1)} -> daE (inactive)`]);
  });

  it('maps empty pages of every kind to an empty batch without skips', () => {
    const ctx = testContext();
    for (const mapped of [
      mapMachines([], ctx),
      mapAlerts([], ctx),
      mapNetworkRows([], ctx),
      mapLogonRows([], ctx),
      mapLogonUsers(id(1), [], ctx),
    ]) {
      expect(mapped).toEqual({ batch: { vertices: {}, edges: {} }, skipped: [], counters: {} });
    }
  });

  it('maps a machine whose arrays are empty or null', () => {
    const { batch } = mapMachines(
      [
        { id: id(1), ipAddresses: [], machineTags: null },
        { id: id(2), ipAddresses: null },
      ],
      testContext(),
    );
    expect(vertexIds(batch, 'asset')).toEqual([id(1), id(2)]);
  });
});

describe('records that cannot be mapped', () => {
  it('skips them with a counted reason and maps the rest of the batch', () => {
    const { batch, skipped, counters } = mapMachines(
      [{ id: '' } as Machine, null as unknown as Machine, { id: id(1) }],
      testContext(),
    );
    expect(vertexIds(batch, 'asset')).toEqual([id(1)]);
    expect(skipped).toEqual([
      { entity: 'machine', reason: 'missingId' },
      { entity: 'machine', reason: 'missingId' },
    ]);
    expect(counters['skipped.machine.missingId']).toBe(2);
  });

  it('never keys an account by a bare name', () => {
    const { batch, skipped } = mapLogonRows(
      [
        { DeviceId: id(1), AccountName: 'administrator' },
        { DeviceId: id(1), AccountName: 'administrator', AccountSid: 'S-1-5-21-1-2-3-500' },
        { DeviceId: id(2), AccountDomain: 'host-2', AccountName: 'Administrator' },
      ],
      testContext(),
    );
    expect(vertexIds(batch, 'account')).toEqual(['S-1-5-21-1-2-3-500', 'host-2\\administrator']);
    expect(skipped).toEqual([{ entity: 'account', reason: 'noDomainOrSid', id: id(1) }]);
  });
});
