/**
 * Generates `/api/machines` records (mde-api.md §2.1) with the quirks of real tenants
 * (§5 item 7, §6 Q4–Q10): devices that are not onboarded, every health state, `None` and
 * null risk, odd `lastIpAddress` values, AAD-joined devices without an AAD device id, and
 * timestamps with 0–7 fractional digits.
 */
import type { Machine } from '../../mde/types.ts';
import { flat, type Rng } from '../random.ts';
import { formatDefenderTime } from '../time-text.ts';
import {
  DEVICE_VALUE,
  DNS_SUFFIX,
  EXPOSURE_LEVEL,
  FRACTION_DIGITS,
  HEALTH_STATUS,
  MACHINE_TAGS,
  ONBOARDING_STATUS,
  OS_PROFILES,
  RBAC_GROUPS,
  RISK_SCORE,
  type OsProfile,
} from './catalog.ts';
import { generateAdapters, globalIpv6, primaryIpv4, publicIpv4 } from './network.ts';

const DAY_MS = 86_400_000;

/** A timestamp string with a random number of fractional digits. */
export function defenderTime(rng: Rng, epochMs: number): string {
  return formatDefenderTime(epochMs, rng.weighted(FRACTION_DIGITS), rng.int(0, 9999));
}

export interface GeneratedMachine {
  record: Machine;
  lastSeenMs: number;
}

/** One machine seen up to `nowMs`; `index` only shapes its host name. */
export function generateMachine(rng: Rng, index: number, nowMs: number): GeneratedMachine {
  const os = rng.weighted(OS_PROFILES);
  const onboardingStatus = rng.weighted(ONBOARDING_STATUS);
  const isOnboarded = onboardingStatus === 'Onboarded';
  const healthStatus = isOnboarded
    ? rng.weighted(HEALTH_STATUS)
    : rng.pick(['Inactive', 'Unknown']);
  const lastSeenMs = nowMs - lastSeenAgeMs(rng, healthStatus);
  const firstSeenMs = lastSeenMs - rng.int(0, 400) * DAY_MS - rng.int(0, DAY_MS);
  const ipAddresses = generateAdapters(rng, os.family);
  const [rbacGroupId, rbacGroupName] = rng.pick(RBAC_GROUPS);
  const isAadJoined = os.family === 'windows' && rng.chance(0.6);

  const record: Machine = {
    id: rng.hex(40),
    mergedIntoMachineId: null,
    isPotentialDuplication: false,
    isExcluded: rng.chance(0.02),
    exclusionReason: null,
    computerDnsName: hostName(rng, index, os),
    firstSeen: defenderTime(rng, firstSeenMs),
    lastSeen: defenderTime(rng, lastSeenMs),
    osPlatform: os.osPlatform,
    osVersion: null,
    osProcessor: 'x64',
    version: rng.pick(os.versions),
    lastIpAddress: lastIpAddress(rng, primaryIpv4(ipAddresses)),
    lastExternalIpAddress: externalIp(rng),
    agentVersion: isOnboarded ? os.agentVersion : null,
    osBuild: rng.pick(os.builds),
    healthStatus,
    deviceValue: rng.weighted(DEVICE_VALUE),
    rbacGroupId,
    rbacGroupName,
    riskScore: isOnboarded ? rng.weighted(RISK_SCORE) : 'None',
    exposureLevel: isOnboarded ? rng.weighted(EXPOSURE_LEVEL) : rng.pick(['None', null]),
    isAadJoined,
    aadDeviceId: isAadJoined && rng.chance(0.7) ? rng.guid() : null,
    machineTags: rng.chance(0.15) ? [rng.pick(MACHINE_TAGS)] : [],
    onboardingStatus,
    osArchitecture: rng.chance(0.97) ? '64-bit' : '32-bit',
    managedBy: rng.pick(['Intune', 'MicrosoftDefenderForEndpoint', 'Unknown']),
    managedByStatus: rng.pick(['Success', 'Unknown']),
    ipAddresses,
    vmMetadata: null,
  };
  if (record.isExcluded) record.exclusionReason = 'NotRelevant';
  if (isOnboarded && os.family !== 'mobile' && rng.chance(0.5)) record.defenderAvStatus = 'Updated';
  return { record, lastSeenMs };
}

/**
 * A second record for the same host (mde-api.md §6 Q4): an older, inactive twin merged into
 * `survivor`, or a live twin flagged `isPotentialDuplication`.
 */
export function generateDuplicate(
  rng: Rng,
  survivor: GeneratedMachine,
  index: number,
  nowMs: number,
): GeneratedMachine {
  const twin = generateMachine(rng, index, nowMs);
  twin.record.computerDnsName = survivor.record.computerDnsName;
  twin.record.osPlatform = survivor.record.osPlatform;
  twin.record.onboardingStatus = 'Onboarded';
  if (rng.chance(0.5)) {
    twin.lastSeenMs = survivor.lastSeenMs - rng.int(20, 120) * DAY_MS;
    twin.record.lastSeen = defenderTime(rng, twin.lastSeenMs);
    twin.record.healthStatus = 'Inactive';
    twin.record.mergedIntoMachineId = survivor.record.id;
  } else {
    twin.record.isPotentialDuplication = true;
  }
  return twin;
}

function lastSeenAgeMs(rng: Rng, healthStatus: string): number {
  if (healthStatus === 'Inactive') return rng.int(8, 180) * DAY_MS + rng.int(0, DAY_MS);
  // Active devices send a full report about once a day (mde-api.md §3.3).
  return rng.int(0, 2 * DAY_MS);
}

function hostName(rng: Rng, index: number, os: OsProfile): string {
  const serial = String(index).padStart(5, '0');
  if (os.family === 'linux' && rng.chance(0.3)) return flat(['vm-', rng.hex(6), '-', rng.guid()]);
  if (os.family === 'server') return flat(['srv-', serial, '.', DNS_SUFFIX]);
  if (os.family === 'mobile')
    return rng.chance(0.5) ? flat(['iphone-', serial]) : flat(['android-', rng.hex(8)]);
  const base = rng.pick(['desktop', 'laptop', 'c-lab', 'wks']);
  const name = flat([base, '-', serial]);
  const style = rng.int(0, 9);
  if (style < 4) return flat([name, '.', DNS_SUFFIX]);
  if (style < 5) return name.toUpperCase();
  if (style < 6) return flat([base.slice(0, 1).toUpperCase(), name.slice(1)]);
  return name;
}

function lastIpAddress(rng: Rng, primary: string | null): string | null {
  const roll = rng.next();
  if (roll < 0.03) return null;
  if (roll < 0.04) return '';
  if (roll < 0.045) return '-';
  if (roll < 0.05) return '0.0.0.0';
  if (roll < 0.08) return publicIpv4(rng);
  return primary;
}

function externalIp(rng: Rng): string | null {
  const roll = rng.next();
  if (roll < 0.08) return null;
  if (roll < 0.15) return globalIpv6(rng).replace(/(:[0-9a-f]+){4}$/, '::');
  return publicIpv4(rng);
}
