/**
 * The tenant's CVE catalogue and the vulnerability records built from it: the per-machine
 * `PublicVulnerabilityDto` (mde-api.md §2.5) and the tenant-wide `machinesVulnerabilities`
 * pairs (§2.6), whose id is `machineId-_-cveId-_-vendor-_-product-_-version-_-kb`.
 */
import type { MachineVulnerability, Vulnerability } from '../../mde/types.ts';
import type { Rng } from '../random.ts';
import { formatDefenderTime } from '../time-text.ts';
import { SOFTWARE } from './software-catalog.ts';
import type { CveEntry } from './types.ts';

const DAY_MS = 86_400_000;

/** `count` CVEs spread over the software catalogue, published in the five years before `nowMs`. */
export function generateCveCatalog(rng: Rng, count: number, nowMs: number): CveEntry[] {
  const cves: CveEntry[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const publishedMs = nowMs - rng.int(10, 5 * 365) * DAY_MS - rng.int(0, DAY_MS);
    const year = new Date(publishedMs).getUTCFullYear();
    let id = `CVE-${year}-${rng.int(1000, 49999)}`;
    while (used.has(id)) id = `CVE-${year}-${rng.int(1000, 49999)}`;
    used.add(id);
    const cvss = Math.round((1 + rng.next() * 9) * 10) / 10;
    const productIndex = rng.int(0, SOFTWARE.length - 1);
    cves.push({
      id,
      productIndex,
      cvss,
      severity: cvss >= 9 ? 'Critical' : cvss >= 7 ? 'High' : cvss >= 4 ? 'Medium' : 'Low',
      publishedMs,
      updatedMs: publishedMs + rng.int(0, 60) * DAY_MS,
      description: `Simulated vulnerability in ${SOFTWARE[productIndex]?.vendor} ${SOFTWARE[productIndex]?.name} allowing ${rng.pick(['remote code execution', 'elevation of privilege', 'information disclosure', 'denial of service', 'security feature bypass'])}.`,
      fixingKbId: rng.chance(0.5) ? String(rng.int(4000000, 5099999)) : null,
      publicExploit: rng.chance(0.2),
      exploitVerified: rng.chance(0.05),
      epss: Math.round(rng.next() * rng.next() * 100000) / 100000,
    });
  }
  return cves;
}

/** The vulnerability entity (`/api/vulnerabilities`, `/api/machines/{id}/vulnerabilities`). */
export function toVulnerability(cve: CveEntry, exposedMachines: number): Vulnerability {
  return {
    id: cve.id,
    name: cve.id,
    description: cve.description,
    severity: cve.severity,
    cvssV3: cve.cvss,
    cvssVector: `CVSS:3.1/AV:N/AC:L/PR:N/UI:${cve.cvss > 8 ? 'N' : 'R'}/S:U/C:H/I:H/A:H`,
    exposedMachines,
    publishedOn: formatDefenderTime(cve.publishedMs, 3),
    updatedOn: formatDefenderTime(cve.updatedMs, 3),
    firstDetected: null,
    publicExploit: cve.publicExploit,
    exploitVerified: cve.exploitVerified,
    exploitInKit: false,
    exploitTypes: [],
    exploitUris: [],
    cveSupportability: 'Supported',
    tags: [],
    epss: cve.epss,
  };
}

/** One (machine, CVE, software version) pair of `machinesVulnerabilities`. */
export function toMachineVulnerability(
  machineId: string,
  cve: CveEntry,
  version: string,
): MachineVulnerability {
  const product = SOFTWARE[cve.productIndex];
  const vendor = product?.vendor ?? 'unknown';
  const name = product?.name ?? 'unknown';
  return {
    id: `${machineId}-_-${cve.id}-_-${vendor}-_-${name}-_-${version}-_-${cve.fixingKbId ?? ''}`,
    cveId: cve.id,
    machineId,
    fixingKbId: cve.fixingKbId,
    productName: name,
    productVendor: vendor,
    productVersion: version,
    severity: cve.severity,
  };
}
