import { afterEach, describe, expect, it } from 'vitest';
import type { ScenarioFile } from '../../../src/simulator/index.ts';
import { graphSnapshot, startSyncBench, type SyncBench } from './helpers.ts';

const THROTTLED = { error: { code: 'TooManyRequests', message: 'Call quota reached' } };

describe('sync runs that meet throttling, token expiry and deferral', () => {
  let bench: SyncBench | undefined;

  afterEach(async () => {
    await bench?.close();
    bench = undefined;
  });

  it('waits out a 429 on a machines page and completes', async () => {
    const scenario: ScenarioFile = {
      rules: [
        {
          match: { method: 'GET', path: '/api/machines', query: { $skip: '400' } },
          responses: [{ status: 429, headers: { 'Retry-After': '1' }, body: THROTTLED }],
        },
      ],
    };
    bench = await startSyncBench({ machines: 1000, quotas: true, scenario });
    const config = bench.config({ sync: { pageSize: 400 } });
    const summary = await bench.sync(bench.store('throttled'), { config });

    expect(summary.outcome).toBe('ok');
    expect(summary.throttleWaits).toBeGreaterThanOrEqual(1);
    expect(summary.entities.machines?.read).toBe(bench.sim.tenant.listedEntries().length);
  });

  it('completes when the token expires in the middle of the run', async () => {
    bench = await startSyncBench({ machines: 600, quotas: false, tokenLifetimeSeconds: 1 });
    const config = bench.config({ sync: { pageSize: 200 } });
    const store = bench.store('short-token');
    const summary = await bench.sync(store, { config });

    expect(summary.outcome).toBe('ok');
    expect(summary.apiCalls.token ?? 0).toBeGreaterThan(1);
    expect(summary.entities.machines?.read).toBe(bench.sim.tenant.listedEntries().length);
  });

  it('defers on a long Retry-After at page 2, resumes from page 2, and reconciles to the same graph (B05)', async () => {
    const scenario: ScenarioFile = {
      rules: [
        {
          match: { method: 'GET', path: '/api/machines', query: { $skip: '300' } },
          responses: [{ status: 429, headers: { 'Retry-After': '2400' }, body: THROTTLED }],
        },
      ],
    };
    bench = await startSyncBench({ machines: 800, quotas: false, scenario });
    const config = bench.config({ sync: { pageSize: 300 }, http: { maxRetryWaitSeconds: 5 } });
    const store = bench.store('deferred');
    const simNow = bench.sim.clock.now();

    const first = await bench.sync(store, { config, now: () => simNow });
    expect(first).toMatchObject({ outcome: 'deferred', checkpointAdvanced: false });
    expect(first.entities.machines?.written).toBe(300);
    const checkpoint = await store.getCheckpoint(config.connection.name);
    expect(checkpoint?.resume).toMatchObject({ phase: 'machines', cursor: { skip: 300 } });

    const later = new Date(Date.parse(first.resumeAfter ?? '') + 1000);
    const second = await bench.sync(store, { config, now: () => later });
    expect(second.outcome).toBe('ok');
    expect(second.entities.machines?.read).toBe(bench.sim.tenant.listedEntries().length - 300);
    expect((await store.getCheckpoint(config.connection.name))?.resume).toBeUndefined();

    // The continued run did not reconcile (docs/sync.md, Deferred runs): the next one does.
    const third = await bench.sync(store, { config, now: () => later });
    expect(third).toMatchObject({ mode: 'full', outcome: 'ok' });

    const reference = bench.store('uninterrupted');
    expect((await bench.sync(reference, { config, now: () => later })).outcome).toBe('ok');
    expect(graphSnapshot(store)).toEqual(graphSnapshot(reference));
  });

  it('imports more than 10,000 machines over several pages', async () => {
    bench = await startSyncBench({ machines: 10_500, quotas: false });
    const config = bench.config({
      sync: { includeVulnerabilities: false, includeUsers: false, includeAlerts: false },
    });
    const store = bench.store('large');
    const summary = await bench.sync(store, { config });

    expect(summary.outcome).toBe('ok');
    // Two pages; a retried request (a dropped keep-alive socket) is counted as a call too.
    expect(summary.apiCalls.machines).toBeGreaterThanOrEqual(2);
    expect(summary.apiCalls.machines).toBeLessThanOrEqual(2 + summary.retries);
    expect(summary.entities.machines?.read).toBe(bench.sim.tenant.listedEntries().length);
    expect(store.listVertices('asset')).toHaveLength(bench.sim.tenant.listedEntries().length);
  });
});
