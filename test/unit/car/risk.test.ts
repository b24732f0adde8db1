import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeRisk } from '../../../src/car/risk.ts';
import type { AssetRiskInput } from '../../../src/targets/target.ts';

const DOC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/risk.md');

function input(overrides: Partial<AssetRiskInput> = {}): AssetRiskInput {
  return {
    assetId: 'a',
    riskScore: 'None',
    exposureLevel: 'None',
    deviceValue: 'Normal',
    onboardingStatus: 'Onboarded',
    openAlertSeverities: [],
    maxCvss: null,
    ...overrides,
  };
}

describe('computeRisk', () => {
  it('gives the score of the worked example in docs/risk.md', () => {
    const doc = readFileSync(DOC, 'utf8');
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)![1]!) as AssetRiskInput;
    const [, score, level] = /\*\*Score: ([\d.]+) \((\w+)\)\*\*/.exec(doc)!;
    const risk = computeRisk(example);
    expect(risk.score).toBe(Number(score));
    expect(risk.level).toBe(level);
    expect(risk.factors.map((f) => [f.name, f.contribution])).toEqual([
      ['defenderRiskScore', 2],
      ['exposureLevel', 1],
      ['openAlerts', 1],
      ['worstCve', 1.5],
      ['businessValue', 1.38],
    ]);
  });

  it('is unknown, never low, for devices that are not onboarded', () => {
    for (const status of ['CanBeOnboarded', 'Unsupported', 'InsufficientInfo']) {
      const risk = computeRisk(input({ onboardingStatus: status, riskScore: 'None' }));
      expect(risk.score).toBeNull();
      expect(risk.level).toBe('unknown');
      expect(risk.factors[0]).toMatchObject({ name: 'edr', value: status });
    }
  });

  it('treats a missing onboarding status as onboarded', () => {
    expect(computeRisk(input({ onboardingStatus: null, riskScore: 'High' })).score).toBe(6);
  });

  it('scores an onboarded device with nothing against it as none', () => {
    expect(computeRisk(input())).toMatchObject({ score: 0, level: 'none' });
  });

  it('caps at 10 and shows the points the cap removed', () => {
    const risk = computeRisk(
      input({
        riskScore: 'High',
        exposureLevel: 'High',
        deviceValue: 'High',
        openAlertSeverities: ['High', 'High', 'Low'],
        maxCvss: 9.8,
      }),
    );
    expect(risk.score).toBe(10);
    expect(risk.level).toBe('critical');
    expect(risk.factors.at(-1)).toMatchObject({ name: 'cap', contribution: -4.95 });
  });

  it('counts the worst open alert plus a bounded amount for the others', () => {
    const alerts = computeRisk(
      input({ openAlertSeverities: ['Low', 'High', 'Low', 'Informational'] }),
    );
    expect(alerts.factors.find((f) => f.name === 'openAlerts')).toMatchObject({
      contribution: 2.5,
      value: '4 open alerts (worst High)',
    });
  });

  it('is deterministic, within 0–10, and never falls when Defender raises its risk score', () => {
    const levels = ['None', 'Informational', 'Low', 'Medium', 'High'];
    const arbitraryInput = fc.record({
      riskIndex: fc.integer({ min: 0, max: 3 }),
      exposureLevel: fc.constantFrom('None', 'Low', 'Medium', 'High', null),
      deviceValue: fc.constantFrom('Low', 'Normal', 'High', null),
      openAlertSeverities: fc.array(fc.constantFrom('Informational', 'Low', 'Medium', 'High')),
      maxCvss: fc.option(fc.double({ min: 0, max: 10, noNaN: true })),
    });
    fc.assert(
      fc.property(arbitraryInput, ({ riskIndex, ...rest }) => {
        const lower = input({ ...rest, riskScore: levels[riskIndex]! });
        const higher = input({ ...rest, riskScore: levels[riskIndex + 1]! });
        const a = computeRisk(lower);
        expect(computeRisk(lower)).toEqual(a);
        expect(a.score).toBeGreaterThanOrEqual(0);
        expect(a.score).toBeLessThanOrEqual(10);
        expect(computeRisk(higher).score!).toBeGreaterThanOrEqual(a.score!);
      }),
    );
  });
});
