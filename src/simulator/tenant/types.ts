/**
 * The simulated tenant's state. Records are kept in the exact wire shape of the Defender API
 * (src/mde/types.ts); what can be derived from a machine's index and the seed (logged-on
 * accounts, software, vulnerabilities) is derived on demand to keep large tenants small.
 */
import type { Alert, GraphUser, Machine } from '../../mde/types.ts';

/** One machine and the facts the generator needs to derive its details again. */
export interface MachineEntry {
  /** Position in generation order; seeds the per-machine derived data. */
  index: number;
  record: Machine;
  /** Gone from the listing after a clock advance; still answers nothing. */
  vanished: boolean;
  /** Epoch ms of `record.lastSeen` (kept so the clock and AH need not reparse). */
  lastSeenMs: number;
  /** Addresses advanced hunting reports beyond the REST record (mde-api.md §4.3). */
  extraHuntingIps: string[];
}

export interface AlertEntry {
  index: number;
  record: Alert;
  /** Evidence items derived from the seed; 0 means `evidence: []`. */
  evidenceCount: number;
  machineIndex: number;
}

/** An account that logs on to machines (domain user or local account). */
export interface Account {
  domain: string;
  name: string;
  sid: string | null;
  /** Index into the Graph users when the account is a directory user. */
  userIndex: number | null;
  isDomainAdmin: boolean;
}

/** A CVE in the tenant's catalogue, tied to one software product. */
export interface CveEntry {
  id: string;
  productIndex: number;
  cvss: number;
  severity: 'Low' | 'Medium' | 'High' | 'Critical';
  publishedMs: number;
  updatedMs: number;
  description: string;
  fixingKbId: string | null;
  publicExploit: boolean;
  exploitVerified: boolean;
  epss: number;
}

/** What one machine has installed and which CVEs apply (derived, never stored). */
export interface MachineDetail {
  accounts: { account: Account; logonType: string; firstSeenMs: number; lastSeenMs: number }[];
  software: { productIndex: number; version: string }[];
  cves: { cveIndex: number; version: string }[];
}

export type { Alert, GraphUser, Machine };
