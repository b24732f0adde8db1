/**
 * Risk inputs gathered while a full run streams its pages, so the risk phase of a full import
 * needs no per-asset read-back from the target. It holds one small record per machine (four
 * Defender fields, open alert severities, the highest CVSS), bounded by the machine count.
 * A full run reads every open alert and every vulnerable device, and deactivates whatever it
 * did not report, so these inputs equal what the target would return afterwards.
 */
import type { Alert, Machine, SoftwareVulnerabilityRow } from '../mde/types.ts';
import type { AssetRiskInput } from '../targets/target.ts';

interface MachineRisk {
  riskScore: string | null;
  exposureLevel: string | null;
  deviceValue: string | null;
  onboardingStatus: string | null;
  severities: string[];
  maxCvss: number | null;
}

/** Per-asset risk inputs of one run. */
export class RiskLedger {
  private readonly byAsset = new Map<string, MachineRisk>();

  /** Records the Defender fields of written machines. */
  addMachine(machine: Machine): void {
    this.byAsset.set(machine.id, {
      riskScore: machine.riskScore ?? null,
      exposureLevel: machine.exposureLevel ?? null,
      deviceValue: machine.deviceValue ?? null,
      onboardingStatus: machine.onboardingStatus ?? null,
      severities: this.byAsset.get(machine.id)?.severities ?? [],
      maxCvss: this.byAsset.get(machine.id)?.maxCvss ?? null,
    });
  }

  /** Records an open alert's severity on the asset it links to (after merge redirects). */
  addOpenAlert(assetId: string, alert: Alert): void {
    const entry = this.byAsset.get(assetId);
    if (entry && typeof alert.severity === 'string') entry.severities.push(alert.severity);
  }

  /** Records the CVSS scores of a device's vulnerable software. */
  addVulnerabilities(rows: Record<string, unknown>[]): void {
    for (const row of rows as SoftwareVulnerabilityRow[]) {
      const entry = typeof row.DeviceId === 'string' ? this.byAsset.get(row.DeviceId) : undefined;
      const score = typeof row.CvssScore === 'number' ? row.CvssScore : Number(row.CvssScore);
      if (!entry || row.CvssScore === null || !Number.isFinite(score)) continue;
      entry.maxCvss = entry.maxCvss === null ? score : Math.max(entry.maxCvss, score);
    }
  }

  get size(): number {
    return this.byAsset.size;
  }

  /** The inputs of every recorded asset, in the target's shape. */
  *inputs(): Iterable<AssetRiskInput> {
    for (const [assetId, r] of this.byAsset) {
      yield {
        assetId,
        riskScore: r.riskScore,
        exposureLevel: r.exposureLevel,
        deviceValue: r.deviceValue,
        onboardingStatus: r.onboardingStatus,
        openAlertSeverities: [...r.severities].sort(),
        maxCvss: r.maxCvss,
      };
    }
  }
}
