/**
 * Defender machines (`GET /api/machines`, mde-api.md §2.1) → asset, hostname, OS application,
 * ipaddress and macaddress vertices with their edges (DESIGN.md §5). Fixes car-service.md
 * §4.5–4.6: a machine without a DNS name keeps its asset (named by id), every adapter and every
 * MAC is mapped, public IPs are kept, MACs are canonical, and merged machines redirect (B13).
 */
import { addAssetIp, addAssetMac, linkIpToMac } from './addresses.ts';
import { BatchBuilder } from './batch-builder.ts';
import type { MappingContext } from './context.ts';
import { osApplication } from './applications.ts';
import { hostnameKey } from './normalise/hostname.ts';
import type { MappedBatch, VertexRecord } from './types.ts';
import type { Machine } from '../mde/types.ts';
import { toEpochMs } from '../mde/time.ts';

/** CAR `business_value` (1–10) for Defender `deviceValue`. */
export const BUSINESS_VALUE: Record<string, number> = { Low: 2, Normal: 5, High: 8 };

/**
 * True when the device runs the Defender sensor. Older payloads have no `onboardingStatus`;
 * only machines with a sensor are listed there, so a missing value counts as onboarded.
 */
export function hasEdr(onboardingStatus: string | null | undefined): boolean {
  return (
    onboardingStatus === null || onboardingStatus === undefined || onboardingStatus === 'Onboarded'
  );
}

/**
 * Maps a page of machines. Also records merges and host names in `ctx.mergedInto` and
 * `ctx.hostnames` when those maps are present, for the mappers that run after it.
 */
export function mapMachines(machines: Machine[], ctx: MappingContext): MappedBatch {
  const builder = new BatchBuilder(ctx);
  for (const machine of machines) {
    if (typeof machine?.id !== 'string' || machine.id.trim() === '') {
      builder.skip('machine', 'missingId');
      continue;
    }
    if (!ctx.includeUnmanaged && !hasEdr(machine.onboardingStatus)) {
      builder.skip('machine', 'unmanaged', machine.id);
      continue;
    }
    const host = hostnameKey(machine.computerDnsName);
    rememberHints(machine, host, ctx);
    mapMachine(builder, machine, host, ctx);
  }
  return builder.build();
}

function rememberHints(machine: Machine, host: string | undefined, ctx: MappingContext): void {
  const survivor = survivorOf(machine, ctx);
  if (survivor !== undefined) ctx.mergedInto?.set(machine.id, survivor);
  if (host !== undefined) ctx.hostnames?.set(machine.id, host);
}

function mapMachine(
  builder: BatchBuilder,
  machine: Machine,
  host: string | undefined,
  ctx: MappingContext,
): void {
  const id = machine.id;
  const mergedInto = survivorOf(machine, ctx);
  // A merged machine is a redirect record: kept for history, never a live holder of anything.
  const active = mergedInto === undefined;

  const eui64: string[] = [];
  builder.vertex('asset', assetRecord(machine, mergedInto, eui64));
  if (mergedInto !== undefined) builder.count('machines.merged');
  if (!hasEdr(machine.onboardingStatus)) builder.count('machines.noEdr');

  if (host !== undefined) {
    builder.vertex('hostname', { _key: host, host_name: host, external_id: host });
    builder.edge('asset_hostname', id, host, active);
  } else {
    builder.count('hostnameMissing');
  }

  const os = osApplication(machine);
  if (os) {
    builder.vertex('application', os);
    builder.edge('asset_application', id, os.external_id as string, active);
  }

  addAssetIp(builder, id, machine.lastIpAddress, active);
  addAssetIp(builder, id, machine.lastExternalIpAddress, active);
  for (const adapter of machine.ipAddresses ?? []) {
    if (adapter === null || typeof adapter !== 'object') continue;
    const ipKey = addAssetIp(builder, id, adapter.ipAddress, active);
    const mac = addAssetMac(builder, id, adapter.macAddress, active, adapter.type);
    if (mac && 'attribute' in mac && !eui64.includes(mac.attribute)) eui64.push(mac.attribute);
    linkIpToMac(builder, ipKey, mac, active);
  }
}

/** The machine this one was merged into (B13), from the record or the run's merge map. */
function survivorOf(machine: Machine, ctx: MappingContext): string | undefined {
  const survivor = machine.mergedIntoMachineId ?? ctx.mergedInto?.get(machine.id);
  return typeof survivor === 'string' && survivor !== '' && survivor !== machine.id
    ? survivor
    : undefined;
}

/** The asset vertex; `eui64` is filled later by the adapters and shared by reference. */
function assetRecord(
  machine: Machine,
  mergedInto: string | undefined,
  eui64: string[],
): VertexRecord {
  const name =
    typeof machine.computerDnsName === 'string' && machine.computerDnsName.trim() !== ''
      ? machine.computerDnsName.trim()
      : machine.id;
  const record: VertexRecord = {
    external_id: machine.id,
    name,
    description: describeMachine(machine),
    properties: assetProperties(machine, mergedInto, eui64),
  };

  const value = BUSINESS_VALUE[machine.deviceValue ?? ''];
  if (value !== undefined) record.business_value = value;
  const firstSeen = toEpochMs(machine.firstSeen);
  if (firstSeen !== undefined) record.first_seen = firstSeen;
  const lastSeen = toEpochMs(machine.lastSeen);
  if (lastSeen !== undefined) record.last_seen = lastSeen;
  return record;
}

function assetProperties(
  machine: Machine,
  mergedInto: string | undefined,
  eui64: string[],
): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    riskScore: machine.riskScore ?? null,
    exposureLevel: machine.exposureLevel ?? null,
    deviceValue: machine.deviceValue ?? null,
    onboardingStatus: machine.onboardingStatus ?? null,
    healthStatus: machine.healthStatus ?? null,
    firstSeen: machine.firstSeen ?? null,
    lastSeen: machine.lastSeen ?? null,
    osPlatform: machine.osPlatform ?? null,
    osVersion: machine.version ?? machine.osVersion ?? null,
    isPotentialDuplication: machine.isPotentialDuplication === true,
    mergedIntoMachineId: machine.mergedIntoMachineId ?? null,
    hasEdr: hasEdr(machine.onboardingStatus),
    rbacGroupName: machine.rbacGroupName ?? null,
    machineTags: Array.isArray(machine.machineTags) ? machine.machineTags : [],
    eui64Addresses: eui64,
  };
  if (mergedInto !== undefined) properties.mergedInto = mergedInto;
  if (machine.isPotentialDuplication === true) {
    properties.possibleDuplicateOf = machine.computerDnsName ?? machine.id;
  }
  return properties;
}

function describeMachine(machine: Machine): string {
  // Joined by hand: this runs once per machine and the array version was pure garbage.
  let text = '';
  for (const part of [
    machine.osPlatform,
    machine.version ?? machine.osVersion,
    machine.osProcessor,
  ]) {
    if (typeof part !== 'string' || part === '') continue;
    text = text === '' ? part : `${text} ${part}`;
  }
  return text === '' ? 'Defender for Endpoint device' : text;
}
