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
  id: string;
  name: string | null;
  data: string;
  lifecycle: AssetSummary['lifecycle'];
}

const WORST_CVE_COUNT = 5;

/** Prepared queries over assets of the store. */
export class AssetReader {
  private readonly asset: Statement;
  private readonly alerts: Statement;
  private readonly maxCvss: Statement;
  private readonly worstCves: Statement;
  private readonly neighbours: Statement;
  private readonly ipNames: Statement;

  // The joins below are CROSS JOINs on purpose: SQLite then reads an asset's few edges first and
  // looks each vertex up by its key. Left to itself, the planner walks every vulnerability
  // vertex to serve ORDER BY v.id, which made risk inputs cost milliseconds per asset.
  constructor(db: Database) {
    this.asset = db.prepare(
      `SELECT id, name, data, lifecycle FROM vertices
       WHERE source = ? AND collection = 'asset' AND id = ? AND deleted = 0`,
    );
    this.alerts = db.prepare(
      `SELECT v.id, v.name, json_extract(v.data, '$.properties.severity') AS severity
       FROM edges e CROSS JOIN vertices v
         ON v.source = e.source AND v.collection = 'vulnerability' AND v.id = e.to_id
       WHERE e.source = ? AND e.collection = 'asset_vulnerability' AND e.from_id = ? AND e.active = 1
         AND v.deleted = 0 AND json_extract(v.data, '$.properties.kind') = 'alert'
         AND coalesce(json_extract(v.data, '$.properties.status'), '') <> 'Resolved'
       ORDER BY v.id`,
    );
    const cveJoin = `FROM edges e CROSS JOIN vertices v
         ON v.source = e.source AND v.collection = 'vulnerability' AND v.id = e.to_id
       WHERE e.source = ? AND e.collection = 'asset_vulnerability' AND e.from_id = ? AND e.active = 1
         AND v.deleted = 0 AND coalesce(json_extract(v.data, '$.properties.kind'), 'cve') <> 'alert'`;
    this.maxCvss = db.prepare(
      `SELECT max(json_extract(v.data, '$.base_score')) AS score ${cveJoin}`,
    );
    this.worstCves = db.prepare(
      `SELECT v.id, json_extract(v.data, '$.base_score') AS score ${cveJoin}
       ORDER BY score IS NULL, score DESC, v.id LIMIT ${WORST_CVE_COUNT}`,
    );
    this.neighbours = db.prepare(
      `SELECT to_id FROM edges
       WHERE source = ? AND collection = ? AND from_id = ? AND active = 1 ORDER BY to_id`,
    );
    this.ipNames = db.prepare(
      `SELECT coalesce(v.name, e.to_id) AS name FROM edges e LEFT JOIN vertices v
         ON v.source = e.source AND v.collection = 'ipaddress' AND v.id = e.to_id
       WHERE e.source = ? AND e.collection = 'asset_ipaddress' AND e.from_id = ? AND e.active = 1
       ORDER BY name`,
    );
  }

  /** Risk inputs of one asset, or undefined when the asset is unknown. */
  riskInput(source: string, assetId: string): AssetRiskInput | undefined {
    const row = this.asset.get(source, assetId) as AssetRow | undefined;
    if (!row) return undefined;
    return this.riskInputOf(source, row);
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
      risk: computeRisk(this.riskInputOf(source, row)),
      hostnames: this.neighbourIds(source, 'asset_hostname', row.id),
      ipAddresses: [
        ...new Set((this.ipNames.all(source, row.id) as { name: string }[]).map((r) => r.name)),
      ],
      macAddresses: this.neighbourIds(source, 'asset_macaddress', row.id),
      users: this.neighbourIds(source, 'asset_account', row.id),
      openAlerts: (this.alerts.all(source, row.id) as AlertRow[]).map((alert) => ({
        id: alert.id,
        title: alert.name ?? alert.id,
        severity: alert.severity,
      })),
      worstVulnerabilities: this.worstCves.all(source, row.id) as {
        id: string;
        score: number | null;
      }[],
    };
    const duplicateOf = text(properties.possibleDuplicateOf);
    if (duplicateOf !== null) summary.possibleDuplicateOf = duplicateOf;
    return summary;
  }

  private riskInputOf(source: string, row: AssetRow): AssetRiskInput {
    const properties = propertiesOf(row.data);
    const alerts = this.alerts.all(source, row.id) as AlertRow[];
    const cvss = this.maxCvss.get(source, row.id) as { score: number | null };
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

  private neighbourIds(source: string, collection: string, assetId: string): string[] {
    return (this.neighbours.all(source, collection, assetId) as { to_id: string }[]).map(
      (r) => r.to_id,
    );
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
