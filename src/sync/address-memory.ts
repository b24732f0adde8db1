/**
 * The adapters the machines phase wrote for each asset in this run, so the network phase can
 * leave out DeviceNetworkInfo rows that only repeat them. Both describe the same adapters
 * (DESIGN.md §5: hunting adds to the machine record), and at 100,000 machines the repeats are
 * about a million upserts. A row is left out only when every record it maps to was written
 * identically: its MAC with the same adapter type, and each of its IPs linked to that MAC. Rows
 * with anything else (a new address, another type, a dropped or EUI-64 value) are mapped as
 * before. The memory is exact (no hashing) and holds one short string per asset.
 */
import { ipVertexKey } from '../car/addresses.ts';
import { canonicalIp } from '../car/normalise/ip.ts';
import { canonicalMac } from '../car/normalise/mac.ts';
import { parseAddresses } from '../car/map-network.ts';
import type { Machine, NetworkInfoRow } from '../mde/types.ts';

const SEPARATOR = '\n';

/** Per asset, the MAC and IP-to-MAC records its machine record produced in this run. */
export class AddressMemory {
  private readonly byAsset = new Map<string, string>();

  /** Remembers the adapters of a machine written (active, not merged) in this run. */
  rememberMachine(machine: Machine): void {
    const tokens: string[] = [];
    for (const adapter of machine.ipAddresses ?? []) {
      if (adapter === null || typeof adapter !== 'object') continue;
      const mac = macToken(adapter.macAddress, adapter.type);
      if (mac === undefined) continue;
      tokens.push(mac.token);
      const ipKey = ipKeyOf(adapter.ipAddress, machine.id);
      if (ipKey !== undefined) tokens.push(linkToken(ipKey, mac.key));
    }
    if (tokens.length > 0)
      this.byAsset.set(machine.id, SEPARATOR + tokens.join(SEPARATOR) + SEPARATOR);
  }

  /** True when the row maps to nothing the machine record of its device did not write. */
  coversRow(row: NetworkInfoRow): boolean {
    const deviceId = typeof row.DeviceId === 'string' ? row.DeviceId.trim() : '';
    const known = this.byAsset.get(deviceId);
    if (known === undefined) return false;
    const mac = macToken(row.MacAddress, row.NetworkAdapterType);
    if (mac === undefined || !has(known, mac.token)) return false;
    const ips = parseAddresses(row.IPAddresses);
    if (!ips.ok) return false;
    for (const raw of ips.items) {
      const ipKey = ipKeyOf(raw, deviceId);
      if (ipKey === undefined || !has(known, linkToken(ipKey, mac.key))) return false;
    }
    return true;
  }

  /** Assets remembered (for tests and logs). */
  get size(): number {
    return this.byAsset.size;
  }
}

function has(known: string, token: string): boolean {
  return known.includes(SEPARATOR + token + SEPARATOR);
}

/** The MAC vertex as addAssetMac writes it (key and adapter type), or undefined when it writes none. */
function macToken(raw: unknown, adapterType: unknown): { key: string; token: string } | undefined {
  const mac = canonicalMac(raw);
  if (!mac.ok || mac.bits !== 48) return undefined;
  const type = typeof adapterType === 'string' ? adapterType : '';
  return { key: mac.mac, token: `m ${mac.mac} ${type}` };
}

function ipKeyOf(raw: unknown, assetId: string): string | undefined {
  const ip = canonicalIp(raw);
  return ip.ok ? ipVertexKey(ip, assetId) : undefined;
}

function linkToken(ipKey: string, macKey: string): string {
  return `l ${ipKey} ${macKey}`;
}
