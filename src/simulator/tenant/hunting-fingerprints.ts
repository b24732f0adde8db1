/**
 * Fingerprints of what one machine's advanced-hunting rows are derived from, so the tables
 * (hunting-tables.ts) derive again only the machines a clock advance changed.
 */
import type { MachineEntry } from './types.ts';

const NULL_TEXT = '\u0000';

/**
 * Text naming every value in `parts`; null and undefined differ from any string. Joined at
 * once so the kept text is one flat string, not a rope of small pieces.
 */
function fingerprintOf(parts: unknown[]): string {
  return parts.map((p) => (p === null || p === undefined ? NULL_TEXT : String(p))).join('\u0001');
}

// The fingerprints name every machine field their table's rows are derived from (besides the
// id and index, which never change, and the seed, users and CVE catalogue, fixed per tenant).
// A field a row builder starts to read must be added here, or a changed machine keeps old rows.

/** What `networkInfoRows` reads. */
export function networkFingerprint(e: MachineEntry): string {
  const m = e.record;
  const parts: unknown[] = [
    e.lastSeenMs,
    m.osPlatform,
    m.computerDnsName,
    e.extraHuntingIps.join(','),
  ];
  for (const ip of m.ipAddresses ?? [])
    parts.push(ip.macAddress, ip.type, ip.ipAddress, ip.operationalStatus);
  return fingerprintOf(parts);
}

/** What `logonRows` reads (with the accounts `deriveAccounts` derives). */
export function logonFingerprint(e: MachineEntry): string {
  const m = e.record;
  return fingerprintOf([e.lastSeenMs, m.onboardingStatus, m.computerDnsName]);
}

/** What `tvmRows` reads (with the software and CVEs `deriveDetail` derives). */
export function tvmFingerprint(e: MachineEntry): string {
  const m = e.record;
  return fingerprintOf([
    m.onboardingStatus,
    m.osPlatform,
    m.computerDnsName,
    m.version,
    m.osArchitecture,
    m.aadDeviceId,
  ]);
}
