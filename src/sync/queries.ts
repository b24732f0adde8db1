/**
 * The advanced-hunting queries of the sync (mde-api.md §4.2–4.3): the latest row per device and
 * adapter, one row per account seen on a device, and each device's vulnerable software joined
 * with the CVE details. Each query is cut to one slice of devices (partitions.ts). Device ids
 * are 40 hex digits; anything else is refused before it reaches a query text.
 */
import type { Slice } from './partitions.ts';

/** The three tables the hunting phases read, and how many rows one device yields at first guess. */
export const HUNTING_PHASES = {
  network: { guessRowsPerDevice: 2 },
  users: { guessRowsPerDevice: 3 },
  vulnerabilities: { guessRowsPerDevice: 12 },
} as const;

export type HuntingPhase = keyof typeof HUNTING_PHASES;

const DEVICE_ID = /^[0-9a-zA-Z-]{1,64}$/;

/** The `where` clause that selects one slice of devices. */
export function sliceFilter(slice: Slice): string {
  if ('deviceIds' in slice) {
    const ids = slice.deviceIds.filter((id) => DEVICE_ID.test(id));
    return `DeviceId in (${ids.map((id) => `'${id}'`).join(', ')})`;
  }
  if (slice.modulus === 1) return 'isnotempty(DeviceId)';
  // hash(x, m) is Kusto's bucket of x among m buckets, 0..m-1 (a plain hash(x) is signed).
  const residues = slice.residues.join(', ');
  return slice.residues.length === 1
    ? `hash(DeviceId, ${slice.modulus}) == ${residues}`
    : `hash(DeviceId, ${slice.modulus}) in (${residues})`;
}

/** The query of one hunting phase over one slice. */
export function huntingQuery(phase: HuntingPhase, slice: Slice): string {
  const where = sliceFilter(slice);
  switch (phase) {
    case 'network':
      return [
        'DeviceNetworkInfo',
        `| where ${where}`,
        '| summarize arg_max(Timestamp, *) by DeviceId, NetworkAdapterName',
        '| project DeviceId, DeviceName, Timestamp, NetworkAdapterName, NetworkAdapterType,' +
          ' NetworkAdapterStatus, MacAddress, IPAddresses',
      ].join('\n');
    case 'users':
      return [
        'DeviceLogonEvents',
        `| where ${where}`,
        '| where isnotempty(AccountName)',
        '| summarize arg_max(Timestamp, *) by DeviceId, AccountDomain, AccountName, AccountSid',
        '| project DeviceId, DeviceName, AccountDomain, AccountName, AccountSid, LogonType,' +
          ' LastSeen = Timestamp, IsLocalAdmin',
      ].join('\n');
    case 'vulnerabilities':
      return [
        'DeviceTvmSoftwareVulnerabilities',
        `| where ${where}`,
        '| join kind=leftouter (DeviceTvmSoftwareVulnerabilitiesKB) on CveId',
        '| project DeviceId, DeviceName, SoftwareVendor, SoftwareName, SoftwareVersion, CveId,' +
          ' VulnerabilitySeverityLevel, CvssScore, PublishedDate, LastModifiedTime,' +
          ' VulnerabilityDescription, IsExploitAvailable, RecommendedSecurityUpdate',
      ].join('\n');
  }
}
