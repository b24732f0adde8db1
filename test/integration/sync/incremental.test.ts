import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isResolvedStatus } from '../../../src/car/map-alerts.ts';
import { canonicalIp } from '../../../src/car/normalise/ip.ts';
import type { EmbeddedStore } from '../../../src/targets/embedded/types.ts';
import { activeTargets, graphSnapshot, startSyncBench, type SyncBench } from './helpers.ts';

const HOUR_MS = 3_600_000;

function ipKey(raw: unknown): string | undefined {
  const ip = canonicalIp(raw);
  return ip.ok ? ip.ip : undefined;
}

describe('incremental sync against the simulator', () => {
  let bench: SyncBench;
  let store: EmbeddedStore;
  // A long reconcile period keeps the runs after the clock advance incremental.
  let config: ReturnType<SyncBench['config']>;
  const before = new Map<string, string | null | undefined>();
  const openAlerts = new Set<string>();

  beforeAll(async () => {
    bench = await startSyncBench({ machines: 1500, quotas: false });
    store = bench.store('incremental');
    config = bench.config({ sync: { fullReconcileHours: 24 * 30 } });
    const full = await bench.sync(store);
    expect(full).toMatchObject({ mode: 'full', outcome: 'ok' });
    for (const entry of bench.sim.tenant.listedEntries())
      before.set(entry.record.id, entry.record.lastIpAddress);
    for (const alert of bench.sim.tenant.alertEntries) {
      if (!isResolvedStatus(alert.record.status)) openAlerts.add(alert.record.id);
    }
  });

  afterAll(async () => {
    await bench?.close();
  });

  it('applies a new IP, a resolved alert and a new machine after a clock advance', async () => {
    const changes = bench.sim.clock.advance(3 * 24 * HOUR_MS);
    expect(changes.newIps).toBeGreaterThan(0);
    const summary = await bench.sync(store, { config });
    expect(summary).toMatchObject({ mode: 'incremental', outcome: 'ok', checkpointAdvanced: true });

    const moved = bench.sim.tenant
      .listedEntries()
      .find(
        (e) =>
          before.has(e.record.id) &&
          ipKey(before.get(e.record.id)) !== ipKey(e.record.lastIpAddress) &&
          ipKey(e.record.lastIpAddress),
      );
    expect(moved).toBeDefined();
    const id = moved?.record.id as string;
    const ips = activeTargets(store, 'asset_ipaddress', id);
    expect(ips).toContain(ipKey(moved?.record.lastIpAddress));
    expect(ips).not.toContain(ipKey(before.get(id)));

    const resolved = bench.sim.tenant.alertEntries.find(
      (a) => openAlerts.has(a.record.id) && isResolvedStatus(a.record.status) && a.record.machineId,
    );
    expect(resolved).toBeDefined();
    const edge = store.listEdges('asset_vulnerability').find((e) => e.to === resolved?.record.id);
    expect(edge?.active).toBe(false);

    const added = bench.sim.tenant.listedEntries().filter((e) => !before.has(e.record.id));
    expect(added.length).toBe(changes.newMachines);
    for (const entry of added) expect(store.getVertex('asset', entry.record.id)).toBeDefined();
  });

  it('writes every machine a clock advance onboarded in the one incremental run after it', async () => {
    const known = new Set(bench.sim.tenant.machineEntries.map((e) => e.record.id));
    const changes = bench.sim.clock.advance(6 * HOUR_MS);
    const added = bench.sim.tenant.machineEntries.filter((e) => !known.has(e.record.id));
    expect(added.length).toBe(changes.newMachines);
    expect(added.length).toBeGreaterThan(0);

    const summary = await bench.sync(store, { config });
    expect(summary).toMatchObject({ mode: 'incremental', outcome: 'ok' });
    for (const entry of added) {
      expect(store.getVertex('asset', entry.record.id), entry.record.id).toBeDefined();
    }
  });

  it('changes nothing when the same sync runs again', async () => {
    const snapshot = graphSnapshot(store);
    const again = await bench.sync(store, { config });
    expect(again.outcome).toBe('ok');
    expect(graphSnapshot(store)).toEqual(snapshot);
  });

  it('picks up a machine whose lastSeen is older than the checkpoint, within the overlap (B20)', async () => {
    const checkpoint = await store.getCheckpoint(bench.config().connection.name);
    const entry = bench.sim.tenant
      .listedEntries()
      .find((e) => e.record.healthStatus === 'Active' && e.record.lastIpAddress);
    if (!entry || !checkpoint?.machinesLastSeen)
      throw new Error('fixture: no active machine or checkpoint');
    const lastSeenMs = Date.parse(checkpoint.machinesLastSeen) - 20 * 60_000;
    entry.record.lastSeen = new Date(lastSeenMs).toISOString();
    entry.lastSeenMs = lastSeenMs;
    entry.record.lastIpAddress = '10.254.254.20';
    bench.sim.tenant.touch();

    const summary = await bench.sync(store, { config });
    expect(summary.mode).toBe('incremental');
    expect(activeTargets(store, 'asset_ipaddress', entry.record.id)).toContain('10.254.254.20');
  });

  it('disables a machine that vanished after the configured complete listings without it (B23)', async () => {
    const gone = bench.sim.tenant.machineEntries.filter(
      (e) => e.vanished && before.has(e.record.id),
    );
    expect(gone.length).toBeGreaterThan(0);
    const id = gone[0]?.record.id as string;
    for (let run = 0; run < 2; run += 1) {
      const full = await bench.sync(store, { mode: 'full' });
      expect(full.outcome).toBe('ok');
    }
    expect(store.getVertex('asset', id)?.lifecycle).toBe('disabled');
    expect(activeTargets(store, 'asset_ipaddress', id)).toEqual([]);
    for (const entry of bench.sim.tenant.listedEntries()) {
      expect(store.getVertex('asset', entry.record.id)).toBeDefined();
    }
  });
});
