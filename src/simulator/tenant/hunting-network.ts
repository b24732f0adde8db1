/**
 * DeviceNetworkInfo rows derived from a machine's `ipAddresses`: one row per adapter (grouped
 * by MAC) with the same addresses, plus the extra addresses hunting sees, MACs spelled plain,
 * dashed, all-zero or with 16 digits (mde-api.md §4.2, §6 Q7, field fault B17).
 */
import type { MachineIpAddress } from '../../mde/types.ts';
import { mixSeed, Rng } from '../random.ts';
import { formatHuntingTime } from '../time-text.ts';
import { osFamily } from './detail.ts';
import type { MachineEntry } from './types.ts';

type Row = Record<string, unknown>;

/** The live DeviceNetworkInfo ReportId that exceeds 2^53 (mde-api.md §4.3). */
export const BIG_REPORT_ID_BASE = 639199916335081329n;

// Rows are read, never modified, so adapters on the corporate network share these values;
// a 100,000-machine tenant would otherwise hold hundreds of thousands of equal objects.
const CORP_NETWORKS = Object.freeze([
  Object.freeze({
    Name: 'corp.contoso.test',
    Description: 'corp.contoso.test',
    IsConnectedToInternet: true,
    Category: 'Domain',
  }),
]);
const CORP_DNS = Object.freeze(['10.0.0.2']);
const CORP_GATEWAYS = Object.freeze(['10.0.0.1']);
const NO_ADDRESSES = Object.freeze([]);

/** One row per adapter (grouped by MAC), the addresses the REST record lists plus extras. */
export function networkInfoRows(seed: number, entry: MachineEntry): Row[] {
  const m = entry.record;
  const rng = new Rng(mixSeed(seed, 'networkinfo', m.id));
  const isWindows = osFamily(m.osPlatform) === 'windows' || osFamily(m.osPlatform) === 'server';
  const adapters = new Map<string, MachineIpAddress[]>();
  for (const ip of m.ipAddresses ?? []) {
    const key = ip.macAddress ?? `loopback-${ip.type}`;
    if (!ip.macAddress && ip.type === 'SoftwareLoopback') continue;
    adapters.set(key, [...(adapters.get(key) ?? []), ip]);
  }
  const rows: Row[] = [];
  let first = true;
  for (const [mac, ips] of adapters) {
    const addresses = ips
      .filter((ip) => ip.ipAddress)
      .map((ip) => addressJson(ip.ipAddress as string));
    if (first) addresses.push(...entry.extraHuntingIps.map(addressJson));
    first = false;
    const head = ips[0] as MachineIpAddress;
    rows.push({
      Timestamp: formatHuntingTime(entry.lastSeenMs, rng.int(0, 9999)),
      DeviceId: m.id,
      DeviceName: m.computerDnsName?.toLowerCase() ?? null,
      NetworkAdapterName: isWindows
        ? `{${rng.guid().toUpperCase()}}`
        : rng.pick(['eth0', 'en0', 'ens160', 'wlan0']),
      MacAddress: spellMac(rng, mac),
      NetworkAdapterType: head.type === 'SoftwareLoopback' ? 'SoftwareLoopback' : head.type,
      NetworkAdapterStatus: head.operationalStatus,
      TunnelType: 'None',
      ConnectedNetworks: head.operationalStatus === 'Up' ? CORP_NETWORKS : null,
      DnsAddresses: head.operationalStatus === 'Up' ? CORP_DNS : null,
      IPv4Dhcp: head.operationalStatus === 'Up' ? '10.0.0.2' : null,
      IPv6Dhcp: null,
      DefaultGateways: head.operationalStatus === 'Up' ? CORP_GATEWAYS : null,
      IPAddresses: addresses,
      ReportId: rng.chance(0.1)
        ? BIG_REPORT_ID_BASE + BigInt(entry.index * 7 + rows.length)
        : rng.int(1000, 999999),
      NetworkAdapterVendor: null,
    });
  }
  if (rng.chance(0.05)) rows.push(tunnelRow(rng, entry));
  return rows;
}

/** A Teredo-style tunnel adapter with the 16-digit MAC some devices report (field fault B17). */
function tunnelRow(rng: Rng, entry: MachineEntry): Row {
  return {
    Timestamp: formatHuntingTime(entry.lastSeenMs, rng.int(0, 9999)),
    DeviceId: entry.record.id,
    DeviceName: entry.record.computerDnsName?.toLowerCase() ?? null,
    NetworkAdapterName: 'Teredo Tunneling Pseudo-Interface',
    MacAddress: '00000000000000E0',
    NetworkAdapterType: 'Tunnel',
    NetworkAdapterStatus: 'Down',
    TunnelType: 'Teredo',
    ConnectedNetworks: null,
    DnsAddresses: null,
    IPv4Dhcp: null,
    IPv6Dhcp: null,
    DefaultGateways: null,
    IPAddresses: NO_ADDRESSES,
    ReportId: rng.int(1000, 999999),
    NetworkAdapterVendor: null,
  };
}

function spellMac(rng: Rng, mac: string): string {
  if (/^0+$/.test(mac)) return '00-00-00-00-00-00';
  return rng.chance(0.6) ? mac : (mac.match(/../g) ?? []).join('-');
}

function addressJson(ip: string): Row {
  const isV6 = ip.includes(':');
  const addressType = /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./.test(ip)
    ? 'CarrierGradeNat'
    : /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|169\.254\.|fe80:|127\.|::1$)/i.test(ip)
      ? 'Private'
      : 'Public';
  return { IPAddress: ip, SubnetPrefix: isV6 ? 64 : 24, AddressType: addressType };
}
