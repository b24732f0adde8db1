import { describe, expect, it } from 'vitest';
import type { MappingContext } from '../../../src/car/context.ts';
import { mapMachines } from '../../../src/car/map-machines.ts';
import { mapNetworkRows } from '../../../src/car/map-network.ts';
import type { GraphBatch } from '../../../src/car/types.ts';
import type { Machine, NetworkInfoRow } from '../../../src/mde/types.ts';
import { AddressMemory } from '../../../src/sync/address-memory.ts';

const ID = 'a'.repeat(39) + '1';
const OTHER = 'b'.repeat(39) + '2';

function context(): MappingContext {
  return {
    source: 'mde-test',
    reportKey: '1714564800000',
    timestampMs: 1714564800000,
    includeUnmanaged: true,
    mergedInto: new Map(),
    hostnames: new Map(),
  };
}

const machines: Machine[] = [
  {
    id: ID,
    computerDnsName: 'pc-1.contoso.test',
    lastIpAddress: '10.1.0.5',
    ipAddresses: [
      { ipAddress: '10.1.0.5', macAddress: '000C2992A64D', type: 'Ethernet' },
      { ipAddress: 'fe80::1c2d:3e4f:5a6b:7c8d', macAddress: '000C2992A64D', type: 'Ethernet' },
      { ipAddress: '192.168.7.20', macAddress: '001A2B3C4D5E', type: 'Wireless80211' },
      { ipAddress: '127.0.0.1', macAddress: null, type: 'SoftwareLoopback' },
    ],
  },
  {
    id: OTHER,
    computerDnsName: 'pc-2.contoso.test',
    ipAddresses: [{ ipAddress: '10.1.0.9', macAddress: '00-50-56-01-02-03' }],
  },
];

const rows: Record<string, NetworkInfoRow> = {
  sameAdapter: {
    DeviceId: ID,
    MacAddress: '00-0C-29-92-A6-4D',
    NetworkAdapterType: 'Ethernet',
    IPAddresses: JSON.stringify([
      { IPAddress: '10.1.0.5' },
      { IPAddress: 'FE80::1C2D:3E4F:5A6B:7C8D' },
    ]),
  },
  sameAdapterFewerIps: {
    DeviceId: ID,
    MacAddress: '000c2992a64d',
    NetworkAdapterType: 'Ethernet',
    IPAddresses: [{ IPAddress: '10.1.0.5' }],
  },
  extraIp: {
    DeviceId: ID,
    MacAddress: '001A2B3C4D5E',
    NetworkAdapterType: 'Wireless80211',
    IPAddresses: JSON.stringify([{ IPAddress: '192.168.7.20' }, { IPAddress: '172.16.4.4' }]),
  },
  otherType: {
    DeviceId: ID,
    MacAddress: '001A2B3C4D5E',
    NetworkAdapterType: 'Ethernet',
    IPAddresses: JSON.stringify([{ IPAddress: '192.168.7.20' }]),
  },
  typeOnlyInHunting: {
    DeviceId: OTHER,
    MacAddress: '005056010203',
    NetworkAdapterType: 'Ethernet',
    IPAddresses: JSON.stringify([{ IPAddress: '10.1.0.9' }]),
  },
  sameWithoutType: {
    DeviceId: OTHER,
    MacAddress: '005056010203',
    IPAddresses: JSON.stringify([{ IPAddress: '10.1.0.9' }]),
  },
  ipOfAnotherAdapter: {
    DeviceId: ID,
    MacAddress: '001A2B3C4D5E',
    NetworkAdapterType: 'Wireless80211',
    IPAddresses: JSON.stringify([{ IPAddress: '10.1.0.5' }]),
  },
  loopbackIp: {
    DeviceId: ID,
    MacAddress: '000C2992A64D',
    NetworkAdapterType: 'Ethernet',
    IPAddresses: JSON.stringify([{ IPAddress: '127.0.0.1' }]),
  },
  eui64Mac: {
    DeviceId: ID,
    MacAddress: '00-00-00-00-00-00-00-E0',
    NetworkAdapterType: 'Tunnel',
    IPAddresses: JSON.stringify([{ IPAddress: '10.1.0.5' }]),
  },
  unreadableIps: {
    DeviceId: ID,
    MacAddress: '000C2992A64D',
    NetworkAdapterType: 'Ethernet',
    IPAddresses: '[{"IPAddress": ',
  },
  unknownDevice: {
    DeviceId: 'c'.repeat(40),
    MacAddress: '000C2992A64D',
    NetworkAdapterType: 'Ethernet',
    IPAddresses: JSON.stringify([{ IPAddress: '10.1.0.5' }]),
  },
};

function rememberAll(): AddressMemory {
  const memory = new AddressMemory();
  for (const machine of machines) memory.rememberMachine(machine);
  return memory;
}

/** The graph a target holds after these batches: vertices merged field by field, edges by ends. */
function graphOf(batches: GraphBatch[]): Record<string, unknown> {
  const graph: Record<string, unknown> = {};
  for (const batch of batches) {
    for (const [collection, records] of Object.entries(batch.vertices)) {
      for (const record of records ?? []) {
        const key = `${collection}/${String(record._key ?? record.external_id)}`;
        const before = (graph[key] ?? {}) as Record<string, unknown>;
        const properties = { ...(before.properties as object), ...record.properties };
        graph[key] = { ...before, ...record, properties };
      }
    }
    for (const [collection, records] of Object.entries(batch.edges)) {
      for (const edge of records ?? []) {
        graph[`${collection}/${JSON.stringify([edge._from_external_id ?? edge._from, edge._to])}`] =
          edge;
      }
    }
  }
  return graph;
}

describe('AddressMemory', () => {
  it('covers rows that repeat an adapter of the machine record, in any MAC or IP spelling', () => {
    const memory = rememberAll();
    expect(memory.coversRow(rows.sameAdapter as NetworkInfoRow)).toBe(true);
    expect(memory.coversRow(rows.sameAdapterFewerIps as NetworkInfoRow)).toBe(true);
    expect(memory.coversRow(rows.sameWithoutType as NetworkInfoRow)).toBe(true);
  });

  it('leaves rows that add anything to be mapped', () => {
    const memory = rememberAll();
    for (const name of [
      'extraIp',
      'otherType',
      'typeOnlyInHunting',
      'ipOfAnotherAdapter',
      'loopbackIp',
      'eui64Mac',
      'unreadableIps',
      'unknownDevice',
    ]) {
      expect(memory.coversRow(rows[name] as NetworkInfoRow), name).toBe(false);
    }
  });

  it('leaves the graph exactly as mapping every row would', () => {
    const ctx = context();
    const machineBatch = mapMachines(machines, ctx).batch;
    const all = Object.values(rows);
    const memory = rememberAll();
    const rest = all.filter((row) => !memory.coversRow(row));
    expect(rest.length).toBeLessThan(all.length);

    const everyRow = graphOf([machineBatch, mapNetworkRows(all, context()).batch]);
    const onlyNew = graphOf([machineBatch, mapNetworkRows(rest, context()).batch]);
    expect(onlyNew).toEqual(everyRow);
  });
});
