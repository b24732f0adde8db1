/**
 * What a Data Explorer search returns (`mde-car search`, `GET /api/search`). The CLI prints it,
 * the server returns it as JSON and the web UI renders it; all three share this shape.
 */

export type SearchKind = 'ip' | 'host' | 'mac';

/** One factor of an asset's risk, with its contribution, so the score can be explained. */
export interface RiskFactor {
  name: string;
  /** The input, e.g. `High`, `CVE-2024-1234 (9.8)`, `2 open alerts (High)`. */
  value: string;
  /** Points this factor adds (or the level it sets), on the 0–10 scale. */
  contribution: number;
  explanation: string;
}

export interface AssetRisk {
  /** 0–10, or null when unknown (devices without EDR). */
  score: number | null;
  level: 'unknown' | 'none' | 'low' | 'medium' | 'high' | 'critical';
  factors: RiskFactor[];
}

export interface AssetSummary {
  externalId: string;
  name: string | null;
  os: string | null;
  healthStatus: string | null;
  onboardingStatus: string | null;
  hasEdr: boolean;
  active: boolean;
  lifecycle: 'active' | 'inactive' | 'disabled';
  possibleDuplicateOf?: string;
  lastSeen: string | null;
  risk: AssetRisk;
  hostnames: string[];
  ipAddresses: string[];
  macAddresses: string[];
  users: string[];
  openAlerts: { id: string; title: string; severity: string | null }[];
  worstVulnerabilities: { id: string; score: number | null }[];
}

export interface HolderRecord {
  asset: AssetSummary;
  /** When this asset was first and last reported with the searched value (ISO UTC). */
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface SearchResult {
  kind: SearchKind;
  /** What was asked, as typed. */
  query: string;
  /** The canonical form searched for (e.g. IPv4 for an IPv4-mapped IPv6 address). */
  canonical: string;
  current: HolderRecord[];
  past: HolderRecord[];
  /** Set when the value is valid but special (e.g. link-local, never used to link assets). */
  note?: string;
}
