/**
 * Network adapters of a generated machine, in the `/api/machines` shape (mde-api.md §2.1,
 * §6 Q6–Q7): 12 upper-case hex MACs without separators, private IPv4, global and link-local
 * IPv6, APIPA addresses on adapters that are down, loopback entries (MAC null on Windows,
 * `000000000000` on Linux) and the odd empty string.
 */
import type { MachineIpAddress } from '../../mde/types.ts';
import { flat, type Rng } from '../random.ts';
import type { OsFamily } from './catalog.ts';

export function randomMac(rng: Rng): string {
  // Locally administered unicast prefix (02) keeps generated MACs out of real vendor ranges.
  return flat(['02', rng.hex(10).toUpperCase()]);
}

export function privateIpv4(rng: Rng): string {
  const kind = rng.int(0, 9);
  if (kind < 6) return dotted(10, rng.int(0, 255), rng.int(0, 255), rng.int(1, 254));
  if (kind < 8) return dotted(172, rng.int(16, 31), rng.int(0, 255), rng.int(1, 254));
  return dotted(192, 168, rng.int(0, 255), rng.int(1, 254));
}

/** A documentation-range public IPv4 (RFC 5737), so no real network is named. */
export function publicIpv4(rng: Rng): string {
  const prefix = rng.pick(['192.0.2', '198.51.100', '203.0.113']);
  return flat([prefix, '.', String(rng.int(1, 254))]);
}

/** A documentation-range global IPv6 (RFC 3849). */
export function globalIpv6(rng: Rng): string {
  return flat(['2001:db8', ...Array.from({ length: 6 }, () => ':' + group(rng))]);
}

export function linkLocalIpv6(rng: Rng): string {
  return flat(['fe80:', ...Array.from({ length: 4 }, () => ':' + group(rng))]);
}

export function apipaIpv4(rng: Rng): string {
  return dotted(169, 254, rng.int(1, 254), rng.int(1, 254));
}

/** One IPv6 group without leading zeros. */
function group(rng: Rng): string {
  return rng.int(0, 0xffff).toString(16);
}

function dotted(a: number, b: number, c: number, d: number): string {
  return [a, b, c, d].join('.');
}

/** 1–3 adapters with their addresses, then the loopback entries most platforms report. */
export function generateAdapters(rng: Rng, family: OsFamily): MachineIpAddress[] {
  const entries: MachineIpAddress[] = [];
  const adapterCount = rng.weighted([
    [1, 55],
    [2, 35],
    [3, 10],
  ] as const);
  for (let i = 0; i < adapterCount; i += 1) entries.push(...adapterEntries(rng, i === 0));
  if (family !== 'mobile' && rng.chance(0.7)) entries.push(...loopbackEntries(family));
  return entries;
}

function adapterEntries(rng: Rng, isPrimary: boolean): MachineIpAddress[] {
  const macAddress = randomMac(rng);
  const type = isPrimary
    ? rng.pick(['Ethernet', 'Ethernet', 'Wireless80211'])
    : rng.pick(['Ethernet', 'Wireless80211', 'Tunnel', 'Other']);
  const isUp = isPrimary || rng.chance(0.5);
  const operationalStatus = isUp ? 'Up' : 'Down';
  const entry = (ipAddress: string): MachineIpAddress => ({
    ipAddress,
    macAddress,
    type,
    operationalStatus,
  });

  if (!isUp) return [entry(apipaIpv4(rng)), entry(linkLocalIpv6(rng))];
  const out = [entry(rng.chance(0.01) ? '' : privateIpv4(rng))];
  if (rng.chance(0.3)) out.push(entry(globalIpv6(rng)));
  if (rng.chance(0.6)) out.push(entry(linkLocalIpv6(rng)));
  return out;
}

function loopbackEntries(family: OsFamily): MachineIpAddress[] {
  const macAddress = family === 'linux' ? '000000000000' : null;
  return ['127.0.0.1', '::1'].map((ipAddress) => ({
    ipAddress,
    macAddress,
    type: 'SoftwareLoopback',
    operationalStatus: 'Up',
  }));
}

/** The address a machine reports as `lastIpAddress`: the first usable IPv4 of an up adapter. */
export function primaryIpv4(entries: readonly MachineIpAddress[]): string | null {
  const found = entries.find(
    (e) =>
      e.operationalStatus === 'Up' &&
      e.type !== 'SoftwareLoopback' &&
      /^\d+\.\d+\.\d+\.\d+$/.test(e.ipAddress ?? ''),
  );
  return found?.ipAddress ?? null;
}
