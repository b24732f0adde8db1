/**
 * Asset risk on CAR's 0–10 scale (DESIGN.md §5; docs/risk.md has the formula and a worked
 * example). Deterministic: the same inputs always give the same score and factors. Points from
 * Defender's risk score, exposure level, open alerts and the worst open CVE are added, then
 * scaled by business value and capped at 10. A device without EDR has unknown risk, never low.
 */
import type { AssetRisk, RiskFactor } from './search-types.ts';
import type { AssetRiskInput } from '../targets/target.ts';
import { hasEdr } from './map-machines.ts';

/** Points for Defender's machine `riskScore`. */
export const RISK_SCORE_POINTS: Record<string, number> = {
  None: 0,
  Informational: 0.5,
  Low: 2,
  Medium: 4,
  High: 6,
  Critical: 7,
};

/** Points for Defender's `exposureLevel`. */
export const EXPOSURE_POINTS: Record<string, number> = { None: 0, Low: 0.5, Medium: 1, High: 1.5 };

/** Points for the most severe open alert; each further open alert adds ALERT_EXTRA_POINTS. */
export const ALERT_SEVERITY_POINTS: Record<string, number> = {
  Informational: 0.25,
  Low: 0.5,
  Medium: 1,
  High: 2,
};
export const ALERT_EXTRA_POINTS = 0.25;
export const ALERT_EXTRA_MAX_POINTS = 0.5;

/** Points per CVSS point of the worst open CVE (CVSS 10 → 2 points). */
export const CVSS_WEIGHT = 0.2;

/** Multiplier for Defender's `deviceValue`. */
export const BUSINESS_VALUE_MULTIPLIER: Record<string, number> = {
  Low: 0.8,
  Normal: 1,
  High: 1.25,
};

export const MAX_RISK = 10;

/** Computes an asset's risk with each factor's contribution and explanation. */
export function computeRisk(input: AssetRiskInput): AssetRisk {
  if (!hasEdr(input.onboardingStatus)) return unknownRisk(input);

  const factors = [
    defenderRiskFactor(input.riskScore),
    exposureFactor(input.exposureLevel),
    alertFactor(input.openAlertSeverities),
    cvssFactor(input.maxCvss),
  ];
  const points = sum(factors);

  const multiplier = BUSINESS_VALUE_MULTIPLIER[input.deviceValue ?? ''] ?? 1;
  factors.push({
    name: 'businessValue',
    value: input.deviceValue ?? 'unknown',
    contribution: round2(points * multiplier - points),
    explanation: `Device value ${input.deviceValue ?? 'unknown'} scales the points by ${multiplier}.`,
  });

  const scaled = points * multiplier;
  if (scaled > MAX_RISK) {
    factors.push({
      name: 'cap',
      value: String(MAX_RISK),
      contribution: round2(MAX_RISK - scaled),
      explanation: `The score is capped at ${MAX_RISK}.`,
    });
  }
  const score = round1(Math.min(MAX_RISK, scaled));
  return { score, level: levelOf(score), factors };
}

/** The level name for a score: 0 none, below 4 low, below 7 medium, below 9 high, else critical. */
export function levelOf(score: number): AssetRisk['level'] {
  if (score <= 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

function unknownRisk(input: AssetRiskInput): AssetRisk {
  return {
    score: null,
    level: 'unknown',
    factors: [
      {
        name: 'edr',
        value: input.onboardingStatus ?? 'unknown',
        contribution: 0,
        explanation:
          'The device is not onboarded to Defender for Endpoint, so there is no sensor data: its risk is unknown, not low.',
      },
    ],
  };
}

function defenderRiskFactor(riskScore: string | null): RiskFactor {
  const points = RISK_SCORE_POINTS[riskScore ?? ''];
  return {
    name: 'defenderRiskScore',
    value: riskScore ?? 'unknown',
    contribution: points ?? 0,
    explanation:
      points === undefined
        ? 'Defender gave no machine risk score; it adds nothing.'
        : `Defender rates the machine risk ${riskScore}: ${pts(points)}.`,
  };
}

function exposureFactor(exposureLevel: string | null): RiskFactor {
  const points = EXPOSURE_POINTS[exposureLevel ?? ''];
  return {
    name: 'exposureLevel',
    value: exposureLevel ?? 'unknown',
    contribution: points ?? 0,
    explanation:
      points === undefined
        ? 'Defender gave no exposure level; it adds nothing.'
        : `Defender rates the exposure ${exposureLevel}: ${pts(points)}.`,
  };
}

function alertFactor(severities: string[]): RiskFactor {
  if (severities.length === 0) {
    return { name: 'openAlerts', value: 'none', contribution: 0, explanation: 'No open alerts.' };
  }
  const ranked = [...severities].sort(
    (a, b) => (ALERT_SEVERITY_POINTS[b] ?? 0) - (ALERT_SEVERITY_POINTS[a] ?? 0),
  );
  const worst = ranked[0]!;
  const extra = Math.min(ALERT_EXTRA_MAX_POINTS, (severities.length - 1) * ALERT_EXTRA_POINTS);
  const points = (ALERT_SEVERITY_POINTS[worst] ?? 0) + extra;
  const count = severities.length;
  return {
    name: 'openAlerts',
    value: `${count} open alert${count === 1 ? '' : 's'} (worst ${worst})`,
    contribution: round2(points),
    explanation:
      count === 1
        ? `One open alert, severity ${worst}: ${pts(points)}.`
        : `Worst open alert ${worst}: ${pts(ALERT_SEVERITY_POINTS[worst] ?? 0)}, plus ${pts(extra)} for ${count - 1} more.`,
  };
}

function cvssFactor(maxCvss: number | null): RiskFactor {
  if (maxCvss === null || !Number.isFinite(maxCvss)) {
    return {
      name: 'worstCve',
      value: 'none',
      contribution: 0,
      explanation: 'No open CVE with a CVSS score.',
    };
  }
  const points = round2(Math.max(0, Math.min(10, maxCvss)) * CVSS_WEIGHT);
  return {
    name: 'worstCve',
    value: `CVSS ${maxCvss}`,
    contribution: points,
    explanation: `Worst open CVE has CVSS ${maxCvss}: ${maxCvss} × ${CVSS_WEIGHT} = ${pts(points)}.`,
  };
}

function pts(value: number): string {
  return `${value} point${value === 1 ? '' : 's'}`;
}

function sum(factors: RiskFactor[]): number {
  return factors.reduce((total, factor) => total + factor.contribution, 0);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
