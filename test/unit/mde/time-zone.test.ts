import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const PROBE = resolve(import.meta.dirname, 'tz-probe.ts');

function probeUnder(tz: string): { hostOffsetMinutes: number; values: Record<string, unknown> } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', PROBE], {
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
  });
  return JSON.parse(out) as { hostOffsetMinutes: number; values: Record<string, unknown> };
}

describe('time handling does not depend on the host time zone (B22)', () => {
  it(
    'produces identical filters, cursors and instants under TZ=UTC and TZ=America/New_York',
    { timeout: 60_000 },
    () => {
      const utc = probeUnder('UTC');
      const newYork = probeUnder('America/New_York');

      expect(utc.hostOffsetMinutes).toBe(0);
      expect(newYork.hostOffsetMinutes).toBe(300);
      expect(newYork.values).toEqual(utc.values);
      expect(utc.values).toMatchObject({
        checkpoint: '2023-11-14T22:13:20.000Z',
        machinesFrom: 'lastSeen ge 2023-11-13T22:13:20.000Z',
        alertFilter: "lastUpdateTime ge 2023-11-14T22:13:20.0000001Z and (status eq 'New')",
        cursor: { time: '2023-11-14T22:13:20.0000001Z', idsAtTime: ['b'] },
        tvmEpochMs: Date.UTC(2020, 11, 30, 14, 17, 26),
      });
    },
  );
});
