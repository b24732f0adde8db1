import { afterEach, describe, expect, it } from 'vitest';
import { laterTime, machinesSinceFilter, planRun } from '../../../src/sync/plan.ts';
import type { Checkpoint } from '../../../src/targets/target.ts';

const settings = { fullReconcileHours: 24 };
const now = new Date('2024-05-02T12:30:00Z');
const checkpoint: Checkpoint = {
  source: 's',
  runId: 'r1',
  updatedAt: '2024-05-02T12:00:00Z',
  machinesLastSeen: '2024-05-02T12:00:00Z',
  lastFullAt: '2024-05-02T06:00:00Z',
};

describe('planRun', () => {
  it('plans a full import when there is no checkpoint', () => {
    expect(planRun(undefined, 'auto', now, settings).mode).toBe('full');
  });

  it('plans an incremental import after a recent full one', () => {
    expect(planRun(checkpoint, 'auto', now, settings).mode).toBe('incremental');
  });

  it('plans a full import when the periodic reconcile is due', () => {
    const old = { ...checkpoint, lastFullAt: '2024-05-01T12:00:00Z' };
    expect(planRun(old, 'auto', now, settings)).toMatchObject({ mode: 'full' });
  });

  it('plans a full import when one is asked for', () => {
    expect(planRun(checkpoint, 'full', now, settings).mode).toBe('full');
  });

  it('continues a deferred run in its mode', () => {
    const resume = {
      runId: 'r2',
      mode: 'full' as const,
      phase: 'network',
      resumeAfter: '2024-05-02T12:10:00Z',
    };
    const plan = planRun({ ...checkpoint, resume }, 'auto', now, settings);
    expect(plan).toMatchObject({ mode: 'full', resume });
  });
});

describe('machinesSinceFilter (B20, B22)', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = savedTz;
  });

  it('subtracts the overlap from the checkpoint and writes the bound in UTC', () => {
    expect(machinesSinceFilter('2023-11-14T22:13:20Z', 24)).toBe(
      'lastSeen ge 2023-11-13T22:13:20.0000000Z',
    );
  });

  it('gives the same filter whatever the host time zone', () => {
    process.env.TZ = 'UTC';
    const utc = machinesSinceFilter('2023-11-14T22:13:20Z', 2);
    process.env.TZ = 'America/New_York';
    const newYork = machinesSinceFilter('2023-11-14T22:13:20Z', 2);
    expect(newYork).toBe(utc);
    expect(utc).toBe('lastSeen ge 2023-11-14T20:13:20.0000000Z');
  });

  it('keeps the 100 ns digits of the stored checkpoint', () => {
    expect(machinesSinceFilter('2024-03-13T06:40:13.9880001Z', 1)).toBe(
      'lastSeen ge 2024-03-13T05:40:13.9880001Z',
    );
  });
});

describe('laterTime', () => {
  it('compares Defender timestamps by instant, not by text', () => {
    expect(laterTime('2024-03-13T06:40:13.98Z', '2024-03-13T06:40:13.9880001Z')).toBe(
      '2024-03-13T06:40:13.9880001Z',
    );
    expect(laterTime(undefined, '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:00Z');
  });
});
