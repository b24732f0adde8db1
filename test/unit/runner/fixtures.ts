import type { RunSummary } from '../../../src/sync/types.ts';

export const TENANT_ID = '11111111-2222-4333-8444-555555555555';
export const CLIENT_ID = '66666666-7777-4888-9999-aaaaaaaaaaaa';
export const CLIENT_SECRET = 'plain-secret-value-never-stored-XYZ123';

export function connectionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'contoso-prod', description: 'main-tenant', frequencyMinutes: 15, ...overrides };
}

export function configurationBody(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: 'primary',
    description: 'read-only-app',
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    cloud: 'custom',
    loginUrl: 'https://login.example.mock.test',
    apiUrl: 'https://api.example.mock.test',
    ...overrides,
  };
}

/** A run summary as the sync engine would return it. */
export function summaryOf(
  outcome: RunSummary['outcome'],
  extra: Partial<RunSummary> = {},
): RunSummary {
  const at = extra.startedAt ?? '2026-01-01T00:00:00.000Z';
  return {
    runId: `run-${Math.random().toString(36).slice(2)}`,
    source: 'contoso-prod',
    configuration: 'primary',
    mode: 'full',
    outcome,
    startedAt: at,
    finishedAt: at,
    durationMs: 1234,
    entities: { machines: { read: 10, written: 10, deactivated: 0, skipped: {} } },
    written: { asset: 10, ipaddress: 12 },
    deactivated: {},
    lifecycle: { markedInactive: 0, missed: 0, disabled: 0, reactivated: 0 },
    disabled: [],
    apiCalls: { machines: 2, hunting: 3 },
    throttleWaits: 1,
    throttleWaitMs: 500,
    retries: 0,
    bytesReceived: 1000,
    counters: {},
    checkpointAdvanced: outcome === 'ok',
    ...extra,
  };
}
