/**
 * Reads one asset and what hangs off it through active edges: its risk inputs (Defender fields,
 * open alerts, worst open CVE) and the summary search shows. Open alerts are alert vertices
 * linked by an active asset_vulnerability edge whose status is not Resolved; CVEs are the
 * other vulnerability vertices linked the same way.
 */
import type { Database, Statement } from 'better-sqlite3';
import { computeRisk } from '../../car/risk.ts';
import type { AssetSummary } from '../../car/search-types.ts';
import type { AssetRiskInput } from '../target.ts';

interface AssetRow {
  vid: number;
  id: string;
  name: string | null;
  data: string;
  lifecycle: AssetSummary['lifecycle'];
}

const WORST_CVE_COUNT = 5;

/** Edges leaving the asset `?` (a vid) of the named collection, active only. */
const ACTIVE_EDGES = (collection: string): string =>
  `e.from_vid = ? AND e.kind = (SELECT kind FROM edge_kinds WHERE collection = '${collection}')
   AND e.active = 1`;

/** Prepared queries over assets of the store. */
export class AssetReader {
  private readonly asset: Statement;
  private readonly liveAssets: Statement;
  private readonly alerts: Statement;
  private readonly maxCvss: Statement;
  private readonly worstCves: Statement;
  private readonly neighbours: Statement;
  private readonly ipNames: Statement;

  // Edges are read by their from vertex (the primary key's prefix) and each end is one rowid
  // lookup; the CROSS JOINs keep SQLite from walking every vulnerability to serve ORDER BY.
  constructor(db: Database) {
    this.asset = db.prepare(
      `SELECT vid, id, name, data, lifecycle FROM vertices
       WHERE source = ? AND collection = 'asset' AND id = ? AND deleted = 0 AND data IS NOT NULL`,
    );
    this.liveAssets = db.prepare(
      `SELECT vid, id, name, data, lifecycle FROM vertices
       WHERE source = ? AND collection = 'asset' AND deleted = 0 AND lifecycle <> 'disabled'
         AND data IS NOT NULL ORDER BY id`,
    );
    const vulnerabilities = `FROM edges e CROSS JOIN vertices v ON v.vid = e.to_vid
       WHERE ${ACTIVE_EDGES('asset_vulnerability')} AND v.deleted = 0 AND v.data IS NOT NULL`;
    this.alerts = db.prepare(
      `SELECT v.id, v.name, json_extract(v.data, '$.properties.severity') AS severity
       ${vulnerabilities} AND json_extract(v.data, '$.properties.kind') = 'alert'
         AND coalesce(json_extract(v.data, '$.properties.status'), '') <> 'Resolved'
       ORDER BY v.id`,
    );
    const cves = `${vulnerabilities}
         AND coalesce(json_extract(v.data, '$.properties.kind'), 'cve') <> 'alert'`;
    this.maxCvss = db.prepare(`SELECT max(json_extract(v.data, '$.base_score')) AS score ${cves}`);
    this.worstCves = db.prepare(
      `SELECT v.id, json_extract(v.data, '$.base_score') AS score ${cves}
       ORDER BY score IS NULL, score DESC, v.id LIMIT ${WORST_CVE_COUNT}`,
    );
    this.neighbours = db
      .prepare(
        `SELECT v.id FROM edges e CROSS JOIN vertices v ON v.vid = e.to_vid
         WHERE e.from_vid = ? AND e.kind = (SELECT kind FROM edge_kinds WHERE collection = ?)
           AND e.active = 1
         ORDER BY v.id`,
      )
      .pluck();
    this.ipNames = db
      .prepare(
        `SELECT coalesce(v.name, v.id) AS name FROM edges e CROSS JOIN vertices v ON v.vid = e.to_vid
         WHERE ${ACTIVE_EDGES('asset_ipaddress')}
         ORDER BY name`,
      )
      .pluck();
  }

  /** Risk inputs of every asset of the source that is neither disabled nor deleted, by id. */
  liveRiskInputs(source: string): AssetRiskInput[] {
    return (this.liveAssets.all(source) as AssetRow[]).map((row) => this.riskInputOf(row));
  }

  /** Risk inputs of one asset, or undefined when the asset is unknown. */
  riskInput(source: string, assetId: string): AssetRiskInput | undefined {
    const row = this.asset.get(source, assetId) as AssetRow | undefined;
    if (!row) return undefined;
    return this.riskInputOf(row);
  }

  /** The search summary of one asset, or undefined when the asset is unknown. */
  summary(source: string, assetId: string): AssetSummary | undefined {
    const row = this.asset.get(source, assetId) as AssetRow | undefined;
    if (!row) return undefined;

    const properties = propertiesOf(row.data);
    const summary: AssetSummary = {
      externalId: row.id,
      name: row.name,
      os: osOf(properties),
      healthStatus: text(properties.healthStatus),
      onboardingStatus: text(properties.onboardingStatus),
      hasEdr: properties.hasEdr !== false,
      active: row.lifecycle === 'active',
      lifecycle: row.lifecycle,
      lastSeen: text(properties.lastSeen),
      risk: computeRisk(this.riskInputOf(row)),
      hostnames: this.neighbourIds('asset_hostname', row.vid),
      ipAddresses: [...new Set(this.ipNames.all(row.vid) as string[])],
      macAddresses: this.neighbourIds('asset_macaddress', row.vid),
      users: this.neighbourIds('asset_account', row.vid),
      openAlerts: (this.alerts.all(row.vid) as AlertRow[]).map((alert) => ({
        id: alert.id,
        title: alert.name ?? alert.id,
        severity: alert.severity,
      })),
      worstVulnerabilities: this.worstCves.all(row.vid) as {
        id: string;
        score: number | null;
      }[],
    };
    const duplicateOf = text(properties.possibleDuplicateOf);
    if (duplicateOf !== null) summary.possibleDuplicateOf = duplicateOf;
    return summary;
  }

  private riskInputOf(row: AssetRow): AssetRiskInput {
    const properties = propertiesOf(row.data);
    const alerts = this.alerts.all(row.vid) as AlertRow[];
    const cvss = this.maxCvss.get(row.vid) as { score: number | null };
    return {
      assetId: row.id,
      riskScore: text(properties.riskScore),
      exposureLevel: text(properties.exposureLevel),
      deviceValue: text(properties.deviceValue),
      onboardingStatus: text(properties.onboardingStatus),
      openAlertSeverities: alerts.map((alert) => alert.severity ?? 'Unknown'),
      maxCvss: typeof cvss?.score === 'number' ? cvss.score : null,
    };
  }

  private neighbourIds(collection: string, assetVid: number): string[] {
    return this.neighbours.all(assetVid, collection) as string[];
  }
}

interface AlertRow {
  id: string;
  name: string | null;
  severity: string | null;
}

function propertiesOf(data: string): Record<string, unknown> {
  const record = JSON.parse(data) as { properties?: Record<string, unknown> };
  return record.properties ?? {};
}

function osOf(properties: Record<string, unknown>): string | null {
  const parts = [text(properties.osPlatform), text(properties.osVersion)].filter(Boolean);
  return parts.length === 0 ? null : parts.join(' ');
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
