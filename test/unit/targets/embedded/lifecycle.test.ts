import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { mapMachines } from '../../../../src/car/map-machines.ts';
import type { Machine } from '../../../../src/mde/types.ts';
import type { EmbeddedStore } from '../../../../src/targets/embedded/index.ts';
import { applyLifecycle } from '../../../../src/targets/embedded/lifecycle.ts';
import type { LifecycleResult } from '../../../../src/targets/target.ts';
import { testContext } from '../../car/helpers.ts';
import { beginAndWrite, SOURCE, tempStores } from './temp-store.ts';

const SETTINGS = { inactiveGraceDays: 30, missingGraceRuns: 2 };
const A1 = 'aaaa00000000000000000000000000000000001';
const A2 = 'aaaa00000000000000000000000000000000002';

let stores = tempStores();
afterEach(async () => {
  await stores.cleanup();
  stores = tempStores();
});

/** One complete full run listing `machines` at `at`; returns the lifecycle counts. */
async function fullRun(
  store: EmbeddedStore,
  runId: string,
  at: string,
  machines: Machine[],
): Promise<LifecycleResult> {
  const now = new Date(at);
  await beginAndWrite(store, runId, now, [mapMachines(machines, testContext()).batch]);
  await store.deactivateUnreported({ kind: 'full' });
  const result = await store.applyLifecycle({ completeListing: true, now, settings: SETTINGS });
  await store.finishRun({ outcome: 'ok', summary: { lifecycle: result } });
  return result;
}

function machine(id: string, healthStatus: string): Machine {
  return {
    id,
    computerDnsName: `${id}.example.test`,
    healthStatus,
    lastSeen: '2024-05-01T00:00:00Z',
    lastIpAddress: '10.0.0.7',
  };
}

function activeEdges(store: EmbeddedStore, assetId: string): string[] {
  return ['asset_hostname', 'asset_ipaddress']
    .flatMap((c) => store.listEdges(c).filter((e) => e.from === assetId && e.active))
    .map((e) => `${e.collection}:${e.to}`);
}

describe('asset lifecycle (B23)', () => {
  it('marks inactive, counts one miss, then disables on the second miss; never deletes', async () => {
    const store = stores.open();
    const other = machine(A2, 'Active');

    const run1 = await fullRun(store, 'r1', '2024-05-01T00:00:00Z', [machine(A1, 'Active'), other]);
    expect(run1).toEqual({
      markedInactive: 0,
      missed: 0,
      disabled: 0,
      reactivated: 0,
      edgesDeactivated: 0,
    });

    const run2 = await fullRun(store, 'r2', '2024-05-20T00:00:00Z', [
      machine(A1, 'Inactive'),
      other,
    ]);
    expect(run2.markedInactive).toBe(1);
    expect(store.getVertex('asset', A1)!.lifecycle).toBe('inactive');
    expect(activeEdges(store, A1)).toHaveLength(2);

    const run3 = await fullRun(store, 'r3', '2024-06-10T00:00:00Z', [other]);
    expect(run3).toMatchObject({ missed: 1, disabled: 0 });
    expect(store.getVertex('asset', A1)).toMatchObject({ lifecycle: 'inactive', missCount: 1 });

    const run4 = await fullRun(store, 'r4', '2024-06-11T00:00:00Z', [other]);
    expect(run4).toMatchObject({ missed: 1, disabled: 1 });
    expect(store.getVertex('asset', A1)).toMatchObject({ lifecycle: 'disabled', deleted: false });
    expect(activeEdges(store, A1)).toEqual([]);
    expect(store.getVertex('asset', A2)!.lifecycle).toBe('active');
  });

  it('disables an asset inactive longer than the grace days even while still listed', async () => {
    const store = stores.open();
    await fullRun(store, 'r1', '2024-05-01T00:00:00Z', [machine(A1, 'Inactive')]);
    const later = await fullRun(store, 'r2', '2024-06-01T00:00:00Z', [machine(A1, 'Inactive')]);
    expect(later).toMatchObject({ disabled: 1, edgesDeactivated: 2 });
  });

  it('reactivates a disabled asset that is reported active again', async () => {
    const store = stores.open();
    await fullRun(store, 'r1', '2024-05-01T00:00:00Z', [machine(A1, 'Active')]);
    await fullRun(store, 'r2', '2024-05-02T00:00:00Z', []);
    await fullRun(store, 'r3', '2024-05-03T00:00:00Z', []);
    expect(store.getVertex('asset', A1)!.lifecycle).toBe('disabled');

    const back = await fullRun(store, 'r4', '2024-05-04T00:00:00Z', [machine(A1, 'Active')]);
    expect(back.reactivated).toBe(1);
    expect(store.getVertex('asset', A1)).toMatchObject({ lifecycle: 'active', missCount: 0 });
    expect(activeEdges(store, A1)).toHaveLength(2);
  });

  it('counts no misses when the listing was not complete', async () => {
    const store = stores.open();
    await fullRun(store, 'r1', '2024-05-01T00:00:00Z', [machine(A1, 'Active')]);
    await beginAndWrite(store, 'r2', new Date('2024-05-02T00:00:00Z'), [], 'incremental');
    const result = await store.applyLifecycle({
      completeListing: false,
      now: new Date('2024-05-02T00:00:00Z'),
      settings: SETTINGS,
    });
    expect(result.missed).toBe(0);
    expect(store.getVertex('asset', A1)!.missCount).toBe(0);
  });

  it('disables a merged machine at once: it only redirects to the survivor (B13)', async () => {
    const store = stores.open();
    const merged = { ...machine(A1, 'Inactive'), mergedIntoMachineId: A2 };
    const result = await fullRun(store, 'r1', '2024-05-01T00:00:00Z', [
      merged,
      machine(A2, 'Active'),
    ]);
    expect(result.disabled).toBe(1);
    expect(store.getVertex('asset', A1)!.lifecycle).toBe('disabled');
    expect(store.getVertex('asset', A2)!.lifecycle).toBe('active');
  });
});

describe('asset lifecycle of a disabled asset still reported inactive', () => {
  it('keeps it disabled with no active edge, run after run', async () => {
    const store = stores.open();
    await fullRun(store, 'r1', '2024-05-01T00:00:00Z', [machine(A1, 'Inactive')]);
    await fullRun(store, 'r2', '2024-06-01T00:00:00Z', [machine(A1, 'Inactive')]);
    const again = await fullRun(store, 'r3', '2024-06-02T00:00:00Z', [machine(A1, 'Inactive')]);
    expect(again).toMatchObject({ disabled: 0, reactivated: 0, edgesDeactivated: 2 });
    expect(store.getVertex('asset', A1)!.lifecycle).toBe('disabled');
    expect(activeEdges(store, A1)).toEqual([]);
  });
});

describe("asset lifecycle: finding the run's assets", () => {
  it('moves the same assets whether it reads them by id or scans the source for the run', async () => {
    const A3 = 'aaaa00000000000000000000000000000000003';
    const A4 = 'aaaa00000000000000000000000000000000004';
    const results: unknown[] = [];
    for (const name of ['by-id.db', 'by-scan.db']) {
      const store = stores.open(name);
      // r1 lists all four; A4 then goes missing once, so it is watched (miss_count 1).
      await fullRun(store, 'r1', '2024-05-01T00:00:00Z', [
        machine(A1, 'Active'),
        machine(A2, 'Active'),
        machine(A3, 'Active'),
        machine(A4, 'Active'),
      ]);
      await fullRun(store, 'r2', '2024-05-02T00:00:00Z', [
        machine(A1, 'Active'),
        machine(A2, 'Active'),
        machine(A3, 'Active'),
      ]);
      const at = new Date('2024-05-03T00:00:00Z');
      await beginAndWrite(store, 'r3', at, [
        mapMachines(
          [
            machine(A1, 'Inactive'),
            { ...machine(A2, 'Active'), mergedIntoMachineId: A3 },
            machine(A4, 'Active'),
          ],
          testContext(),
        ).batch,
      ]);
      await store.close();
      const db = new Database(join(stores.dir, name));
      const vids = db
        .prepare(`SELECT vid FROM vertices WHERE collection = 'asset' AND last_run_id = 'r3'`)
        .pluck()
        .all() as number[];
      expect(vids).toHaveLength(3);
      const result = applyLifecycle(db, {
        source: SOURCE,
        runId: 'r3',
        completeListing: false,
        now: at,
        settings: SETTINGS,
        ...(name === 'by-id.db' ? { reported: new Set(vids) } : {}),
      });
      const states = db
        .prepare(
          `SELECT id, lifecycle, miss_count FROM vertices WHERE collection = 'asset' ORDER BY id`,
        )
        .all();
      db.close();
      results.push({ result, states });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({
      result: { markedInactive: 1, disabled: 1, reactivated: 0 },
      states: [
        { id: A1, lifecycle: 'inactive', miss_count: 0 },
        { id: A2, lifecycle: 'disabled', miss_count: 0 },
        { id: A3, lifecycle: 'active', miss_count: 0 },
        { id: A4, lifecycle: 'active', miss_count: 0 },
      ],
    });
  });
});
