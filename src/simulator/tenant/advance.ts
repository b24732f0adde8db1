/**
 * Moves the tenant forward in simulated time, deterministically from the seed and the
 * interval: some machines send a new report (and some of those a new IP that replaces the
 * old one), a few machines are onboarded, alerts progress towards resolved, some devices go
 * inactive and a few vanish from the listing (mde-api.md §6 Q3, field faults B20, B23).
 */
import { mixSeed, Rng } from '../random.ts';
import { defenderTime, generateMachine } from './machines.ts';
import { privateIpv4 } from './network.ts';
import type { Tenant } from './tenant.ts';
import type { MachineEntry } from './types.ts';

const DAY_MS = 86_400_000;

/** Share of listed machines affected per simulated day (at least one "day" per advance). */
export const ADVANCE_RATES = {
  seenAgain: 0.01,
  newIpOfSeen: 0.3,
  newMachines: 0.002,
  alertsUpdated: 0.05,
  newAlerts: 0.002,
  goInactive: 0.005,
  vanish: 0.001,
} as const;

export interface AdvanceSummary {
  fromMs: number;
  toMs: number;
  seenAgain: number;
  newIps: number;
  newMachines: number;
  alertsUpdated: number;
  newAlerts: number;
  wentInactive: number;
  vanished: number;
}

/** Applies the changes of the interval `(fromMs, toMs]`; a no-op for an empty interval. */
export function advanceTenant(tenant: Tenant, fromMs: number, toMs: number): AdvanceSummary {
  const summary: AdvanceSummary = {
    fromMs,
    toMs,
    seenAgain: 0,
    newIps: 0,
    newMachines: 0,
    alertsUpdated: 0,
    newAlerts: 0,
    wentInactive: 0,
    vanished: 0,
  };
  if (toMs <= fromMs) return summary;
  const rng = new Rng(mixSeed(tenant.seed, 'advance', fromMs, toMs));
  const days = Math.max(1, (toMs - fromMs) / DAY_MS);
  const listed = tenant.listedEntries();
  const count = (rate: number): number =>
    Math.min(listed.length, Math.max(1, Math.round(listed.length * rate * days)));
  const moment = (): number => toMs - rng.int(0, Math.min(toMs - fromMs - 1, 3_600_000));

  for (const entry of sample(rng, listed, count(ADVANCE_RATES.seenAgain))) {
    summary.seenAgain += 1;
    if (reportAgain(rng, entry, moment())) summary.newIps += 1;
  }
  for (const entry of sample(rng, listed, count(ADVANCE_RATES.goInactive))) {
    if (entry.record.healthStatus === 'Inactive') continue;
    entry.record.healthStatus = 'Inactive';
    summary.wentInactive += 1;
  }
  for (const entry of sample(
    rng,
    listed,
    Math.round(listed.length * ADVANCE_RATES.vanish * days),
  )) {
    entry.vanished = true;
    summary.vanished += 1;
  }
  summary.newMachines = addMachines(rng, tenant, count(ADVANCE_RATES.newMachines), moment);
  summary.alertsUpdated = progressAlerts(rng, tenant, count(ADVANCE_RATES.alertsUpdated), moment);
  summary.newAlerts = addAlerts(rng, tenant, count(ADVANCE_RATES.newAlerts), moment);
  tenant.nowMs = toMs;
  tenant.touch();
  return summary;
}

/** A new full report; true when the machine also moved to a new IP address. */
function reportAgain(rng: Rng, entry: MachineEntry, atMs: number): boolean {
  entry.lastSeenMs = atMs;
  entry.record.lastSeen = defenderTime(rng, atMs);
  if (entry.record.onboardingStatus === 'Onboarded') entry.record.healthStatus = 'Active';
  if (!rng.chance(ADVANCE_RATES.newIpOfSeen)) return false;
  const adapter = entry.record.ipAddresses?.find(
    (ip) =>
      ip.operationalStatus === 'Up' &&
      /^\d+\.\d+\.\d+\.\d+$/.test(ip.ipAddress ?? '') &&
      ip.type !== 'SoftwareLoopback',
  );
  if (!adapter) return false;
  const previous = adapter.ipAddress;
  adapter.ipAddress = privateIpv4(rng);
  if (entry.record.lastIpAddress === previous) entry.record.lastIpAddress = adapter.ipAddress;
  return true;
}

/**
 * Onboards `count` devices inside the interval. A newly onboarded device has just sent its
 * first full report, so its `firstSeen` and `lastSeen` are that moment: the generator's usual
 * age (up to 180 days for a device it rolled as inactive) would date it before it existed and
 * outside any incremental `lastSeen ge` window.
 */
function addMachines(rng: Rng, tenant: Tenant, count: number, moment: () => number): number {
  for (let i = 0; i < count; i += 1) {
    const index = tenant.machineEntries.length;
    const atMs = moment();
    const machineRng = rng.fork('new-machine', index);
    const generated = generateMachine(machineRng, index, atMs);
    generated.lastSeenMs = atMs;
    generated.record.lastSeen = defenderTime(machineRng, atMs);
    generated.record.firstSeen = generated.record.lastSeen;
    generated.record.healthStatus = 'Active';
    generated.record.onboardingStatus = 'Onboarded';
    tenant.addMachine(generated);
  }
  return count;
}

function progressAlerts(rng: Rng, tenant: Tenant, count: number, moment: () => number): number {
  const open = tenant.alertEntries.filter((a) => a.record.status !== 'Resolved');
  let updated = 0;
  for (const entry of sample(rng, open, count)) {
    const alert = entry.record;
    const atMs = moment();
    alert.lastUpdateTime = defenderTime(rng, atMs);
    if (alert.status === 'InProgress' || rng.chance(0.4)) {
      alert.status = 'Resolved';
      alert.resolvedTime = alert.lastUpdateTime;
      alert.classification = rng.pick([
        'TruePositive',
        'FalsePositive',
        'InformationalExpectedActivity',
      ]);
    } else {
      alert.status = 'InProgress';
      alert.assignedTo = 'Automation';
    }
    updated += 1;
  }
  return updated;
}

function addAlerts(rng: Rng, tenant: Tenant, count: number, moment: () => number): number {
  const candidates = tenant
    .listedEntries()
    .filter((e) => e.record.onboardingStatus === 'Onboarded' && !e.record.mergedIntoMachineId);
  let added = 0;
  for (const entry of sample(rng, candidates, count)) {
    const atMs = moment();
    const alert = tenant.createAlert(rng, entry, atMs).record;
    alert.alertCreationTime = defenderTime(rng, atMs);
    alert.status = 'New';
    alert.resolvedTime = null;
    alert.classification = null;
    alert.determination = null;
    alert.lastUpdateTime = alert.alertCreationTime;
    added += 1;
  }
  return added;
}

/** `count` distinct items chosen deterministically. */
function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const chosen = new Set<number>();
  const target = Math.min(count, items.length);
  while (chosen.size < target) chosen.add(rng.int(0, items.length - 1));
  return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
}
