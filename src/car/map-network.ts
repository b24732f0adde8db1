/**
 * DeviceNetworkInfo rows (latest per device and adapter; mde-api.md §4) → ipaddress and
 * macaddress vertices with asset_ipaddress, asset_macaddress and ipaddress_macaddress edges.
 * These rows only add to the addresses the machine record already gave (DESIGN.md §5). Every
 * adapter and every address of a row is mapped, not only the row holding `lastIpAddress`
 * (the existing connector's fault, car-service.md §4.6).
 */
import { addAssetIp, addAssetMac, linkIpToMac } from './addresses.ts';
import { BatchBuilder } from './batch-builder.ts';
import { isMergedMachine, type MappingContext } from './context.ts';
import { parseDynamicArray } from './normalise/dynamic.ts';
import type { MappedBatch } from './types.ts';
import type { NetworkInfoRow } from '../mde/types.ts';

/** Maps network rows; a row with unreadable `IPAddresses` is skipped and counted (B16). */
export function mapNetworkRows(rows: NetworkInfoRow[], ctx: MappingContext): MappedBatch {
  const builder = new BatchBuilder(ctx);
  for (const row of rows) {
    const deviceId = typeof row?.DeviceId === 'string' ? row.DeviceId.trim() : '';
    if (deviceId === '') {
      builder.skip('networkRow', 'missingDeviceId');
      continue;
    }
    // Limitation: rows of a merged machine describe the retired id; they are skipped rather
    // than moved to the survivor, whose own rows carry its current adapters.
    if (isMergedMachine(ctx, deviceId)) {
      builder.skip('networkRow', 'mergedMachine', deviceId);
      continue;
    }

    const addresses = parseAddresses(row.IPAddresses);
    if (!addresses.ok) {
      builder.skip('networkRow', addresses.reason, deviceId);
      continue;
    }

    const mac = addAssetMac(builder, deviceId, row.MacAddress, true, row.NetworkAdapterType);
    for (const entry of addresses.items) {
      const ipKey = addAssetIp(builder, deviceId, entry, true);
      linkIpToMac(builder, ipKey, mac, true);
    }
  }
  return builder.build();
}

export type ParsedAddresses = { ok: true; items: unknown[] } | { ok: false; reason: string };

/** The IP strings of an `IPAddresses` cell: `[{IPAddress, SubnetPrefix, AddressType}]`. */
export function parseAddresses(cell: unknown): ParsedAddresses {
  if (cell === null || cell === undefined || cell === '') return { ok: true, items: [] };
  const parsed = parseDynamicArray(cell);
  if (!parsed.ok) return parsed.reason === 'empty' ? { ok: true, items: [] } : parsed;

  const items = parsed.items.map((entry) =>
    entry !== null && typeof entry === 'object'
      ? (entry as Record<string, unknown>).IPAddress
      : entry,
  );
  return { ok: true, items };
}
