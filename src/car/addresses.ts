/**
 * IP and MAC vertices and their edges for one asset, shared by the machine and network-row
 * mappers. Keys follow DESIGN.md §5.
 *
 * Decision (link-local): fe80::/10 and 169.254/16 addresses are only meaningful on one link, so
 * their vertex is keyed per asset as `<ip>%<machine id>` (the RFC 4007 zone syntax, with the
 * asset as the zone) while `name` stays the plain address. Two assets never share such a
 * vertex, yet search by `name` still finds the asset that holds the address.
 */
import type { BatchBuilder } from './batch-builder.ts';
import { canonicalIp, type CanonicalIp, type IpDropReason } from './normalise/ip.ts';
import { canonicalMac, type MacDropReason } from './normalise/mac.ts';

// Counter names spelled out once: building them per dropped value made a string each time.
const IP_DROPPED: Record<IpDropReason, string> = {
  empty: 'ipDropped.empty',
  placeholder: 'ipDropped.placeholder',
  unspecified: 'ipDropped.unspecified',
  loopback: 'ipDropped.loopback',
  malformed: 'ipDropped.malformed',
};
const MAC_DROPPED: Record<MacDropReason, string> = {
  empty: 'macDropped.empty',
  allZero: 'macDropped.allZero',
  broadcast: 'macDropped.broadcast',
  multicast: 'macDropped.multicast',
  placeholder: 'macDropped.placeholder',
  malformed: 'macDropped.malformed',
};

/** The ipaddress `_key` of a canonical address held by an asset. */
export function ipVertexKey(ip: Extract<CanonicalIp, { ok: true }>, assetId: string): string {
  return ip.scope === 'linkLocal' ? `${ip.ip}%${assetId}` : ip.ip;
}

/** Adds an ipaddress vertex and its asset_ipaddress edge; returns the key, or undefined when dropped. */
export function addAssetIp(
  builder: BatchBuilder,
  assetId: string,
  raw: unknown,
  active: boolean,
): string | undefined {
  const ip = canonicalIp(raw);
  if (!ip.ok) {
    builder.count(IP_DROPPED[ip.reason]);
    return undefined;
  }

  const key = ipVertexKey(ip, assetId);
  const properties: Record<string, unknown> = { family: ip.family, scope: ip.scope };
  if (ip.scope === 'linkLocal') properties.zone = assetId;
  builder.vertex('ipaddress', { _key: key, name: ip.ip, properties });
  builder.edge('asset_ipaddress', assetId, key, active);
  return key;
}

/** Result of adding a MAC: the vertex key, an EUI-64 kept only as an attribute, or nothing. */
export type AddedMac = { key: string } | { attribute: string } | undefined;

/** Adds a 48-bit MAC vertex and its asset_macaddress edge; counts and skips anything else (B17). */
export function addAssetMac(
  builder: BatchBuilder,
  assetId: string,
  raw: unknown,
  active: boolean,
  adapterType?: string | null,
): AddedMac {
  const mac = canonicalMac(raw);
  if (!mac.ok) {
    builder.count(MAC_DROPPED[mac.reason]);
    return undefined;
  }
  if (mac.bits === 64) {
    builder.count('macDropped.eui64');
    return { attribute: mac.mac };
  }

  const record =
    typeof adapterType === 'string' && adapterType !== '' ? { interface: adapterType } : {};
  builder.vertex('macaddress', { _key: mac.mac, name: mac.mac, ...record });
  builder.edge('asset_macaddress', assetId, mac.mac, active);
  return { key: mac.mac };
}

/**
 * Links an adapter's IP to its MAC. Link-local IPs are linked too: their vertex is per asset,
 * so the edge cannot join two assets.
 */
export function linkIpToMac(
  builder: BatchBuilder,
  ipKey: string | undefined,
  mac: AddedMac,
  active: boolean,
): void {
  if (ipKey === undefined || mac === undefined || !('key' in mac)) return;
  builder.edge('ipaddress_macaddress', ipKey, mac.key, active);
}
