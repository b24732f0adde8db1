import { describe, expect, it } from 'vitest';
import { exitCodeForSummary } from '../../../src/cli/commands/sync.ts';
import { formatSummary } from '../../../src/sync/report.ts';
import type { RunSummary } from '../../../src/sync/types.ts';

function summary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: 'r1',
    source: 'mde',
    configuration: 'default',
    mode: 'full',
    outcome: 'ok',
    startedAt: '2024-05-02T12:00:00.000Z',
    finishedAt: '2024-05-02T12:00:03.000Z',
    durationMs: 3000,
    entities: {
      machines: { read: 12000, written: 11998, deactivated: 0, skipped: { unmanaged: 2 } },
    },
    written: { asset: 11998 },
    deactivated: {},
    lifecycle: { markedInactive: 0, missed: 0, disabled: 0, reactivated: 0 },
    disabled: [{ part: 'users', reason: 'missing role User.Read.All' }],
    apiCalls: { machines: 2, hunting: 3 },
    throttleWaits: 1,
    throttleWaitMs: 1000,
    retries: 0,
    bytesReceived: 2_097_152,
    counters: {},
    checkpointAdvanced: true,
    ...overrides,
  };
}

describe('sync command exit codes', () => {
  it('exits 0 for ok, 10 for partial and deferred', () => {
    expect(exitCodeForSummary(summary())).toBe(0);
    expect(exitCodeForSummary(summary({ outcome: 'partial' }))).toBe(10);
    expect(exitCodeForSummary(summary({ outcome: 'deferred' }))).toBe(10);
  });

  it('exits with the code of the cause for a failed run', () => {
    expect(exitCodeForSummary(summary({ outcome: 'failed', errorCode: 'MDE_AUTH_FAILED' }))).toBe(
      52,
    );
    expect(exitCodeForSummary(summary({ outcome: 'failed', errorCode: 'MDE_FORBIDDEN' }))).toBe(53);
    expect(exitCodeForSummary(summary({ outcome: 'failed' }))).toBe(1);
  });
});

describe('formatSummary', () => {
  it('shows counts, skip reasons, API calls and what was turned off', () => {
    const text = formatSummary(summary(), 'Full sync');
    expect(text).toContain('Full sync: full import, OK in 3.0 s');
    expect(text).toMatch(/machines\s+12,000\s+11,998\s+unmanaged 2/);
    expect(text).toContain('API calls: machines 2, hunting 3; throttle waits 1');
    expect(text).toContain('off: users (missing role User.Read.All)');
    expect(text).toContain('checkpoint advanced');
  });
});
