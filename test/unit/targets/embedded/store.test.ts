import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeMapped } from '../../../../src/car/batch-builder.ts';
import { edgeEndIds } from '../../../../src/car/edges.ts';
import { mapAlerts } from '../../../../src/car/map-alerts.ts';
import { mapLogonUsers } from '../../../../src/car/map-logons.ts';
import { mapMachines } from '../../../../src/car/map-machines.ts';
import type { GraphBatch } from '../../../../src/car/types.ts';
import { hasCode } from '../../../../src/errors.ts';
import { silentLogger } from '../../../../src/log.ts';
import { deactivateAllUnreported } from '../../../../src/targets/embedded/deactivate.ts';
import { openEmbeddedStore, SCHEMA_VERSION } from '../../../../src/targets/embedded/index.ts';
import type { Alert, LogonUser, Machine } from '../../../../src/mde/types.ts';
import { testContext } from '../../car/helpers.ts';
import { HAS_SAMPLES, readSample, SAMPLES_NOTE, sampleValues } from '../../car/samples.ts';
import { beginAndWrite, SOURCE, tempStores } from './temp-store.ts';

const T1 = new Date('2024-05-01T00:00:00Z');
const T2 = new Date('2024-05-02T00:00:00Z');

let stores = tempStores();
afterEach(async () => {
  await stores.cleanup();
  stores = tempStores();
});

function ipBatch(assetId: string, ips: string[]): GraphBatch {
  return mapMachines(
    [
      {
        id: assetId,
        computerDnsName: assetId,
        ipAddresses: ips.map((ipAddress) => ({ ipAddress })),
      },
    ],
    testContext(),
  ).batch;
}

describe('opening the embedded store', () => {
  it('creates the file and its folder on first use, in WAL mode at the current schema version', async () => {
    const store = openEmbeddedStore({
      path: join(stores.dir, 'a/b/graph.db'),
      logger: silentLogger(),
    });
    await store.close();
    const path = join(stores.dir, 'a/b/graph.db');
    expect(existsSync(path)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses to open a missing file read-only and says to run a sync first', () => {
    const path = join(stores.dir, 'missing.db');
    let caught: unknown;
    try {
      openEmbeddedStore({ path, logger: silentLogger(), readonly: true });
    } catch (err) {
      caught = err;
    }
    expect(hasCode(caught, 'STORE_FAILED')).toBe(true);
    expect((caught as Error).message).toContain('run a sync first');
    expect(existsSync(path)).toBe(false);
  });

  it('refuses to write outside a run', async () => {
    const store = stores.open();
    await expect(store.write(ipBatch('a1', ['10.0.0.1']))).rejects.toMatchObject({
      code: 'STORE_FAILED',
    });
  });
});

describe.skipIf(!HAS_SAMPLES)(`round trip of the mapped samples${SAMPLES_NOTE}`, () => {
  it('stores every vertex and edge of the mapped graph and reads them back unchanged', async () => {
    const ctx = testContext();
    const machines = mapMachines(sampleValues<Machine>('machines-page.json'), ctx);
    const mapped = mergeMapped([
      machines,
      mapAlerts([readSample<Alert>('alert-single-real.json')], ctx),
      mapLogonUsers(
        '4f1c2b9a7d3e5f60812a9b4c6d7e8f9012345678',
        sampleValues<LogonUser>('logonusers.json'),
        ctx,
      ),
    ]);
    const store = stores.open();
    await beginAndWrite(store, 'r1', T1, [mapped.batch]);

    for (const [collection, records] of Object.entries(mapped.batch.vertices)) {
      const stored = store.listVertices(collection, SOURCE);
      expect(stored).toHaveLength(records!.length);
      for (const record of records!) {
        const id = (record._key ?? record.external_id) as string;
        expect(store.getVertex(collection, id)!.record).toEqual(JSON.parse(JSON.stringify(record)));
      }
    }
    for (const [collection, records] of Object.entries(mapped.batch.edges)) {
      const stored = store
        .listEdges(collection, SOURCE)
        .map((e) => `${e.from}|${e.to}|${e.active}`);
      const expected = records!.map((r) => {
        const ends = edgeEndIds(r)!;
        return `${ends.from}|${ends.to}|${r.active}`;
      });
      expect(stored.sort()).toEqual(expected.sort());
    }
  });
});

describe('CAR import semantics', () => {
  it('merges a second import of a vertex into the first and keeps first reported', async () => {
    const store = stores.open();
    await beginAndWrite(store, 'r1', T1, [
      {
        vertices: {
          asset: [
            {
              external_id: 'a1',
              name: 'one',
              properties: { riskScore: 'Low', healthStatus: 'Active' },
            },
          ],
        },
        edges: {},
      },
    ]);
    await store.finishRun({ outcome: 'ok', summary: {} });
    await beginAndWrite(store, 'r2', T2, [
      {
        vertices: {
          asset: [{ external_id: 'a1', name: 'one', properties: { riskScore: 'High' } }],
        },
        edges: {},
      },
    ]);
    const stored = store.getVertex('asset', 'a1')!;
    expect(stored.record.properties).toEqual({ riskScore: 'High', healthStatus: 'Active' });
    expect(stored.firstReportedMs).toBe(T1.getTime());
    expect(stored.lastReportedMs).toBe(T2.getTime());
    expect(stored.report).toBe(String(T2.getTime()));
  });

  it('deactivates every edge of the source a full run did not report', async () => {
    const store = stores.open();
    await beginAndWrite(store, 'r1', T1, [ipBatch('a1', ['10.0.0.1', '10.0.0.2'])]);
    await store.finishRun({ outcome: 'ok', summary: {} });
    await beginAndWrite(store, 'r2', T2, [ipBatch('a1', ['10.0.0.1'])]);

    expect(await store.deactivateUnreported({ kind: 'full' })).toEqual({ asset_ipaddress: 1 });
    const edges = store.listEdges('asset_ipaddress').map((e) => `${e.to}:${e.active}`);
    expect(edges).toEqual(['10.0.0.1:true', '10.0.0.2:false']);
  });

  it('deactivates the same edges in two passes when too many to list one by one', async () => {
    const path = join(stores.dir, 'bulk.db');
    const store = openEmbeddedStore({ path, logger: silentLogger() });
    await beginAndWrite(store, 'r1', T1, [
      ipBatch('a1', ['10.0.0.1', '10.0.0.2', '10.0.0.3']),
      ipBatch('a2', ['10.0.0.4']),
    ]);
    await store.finishRun({ outcome: 'ok', summary: {} });
    await beginAndWrite(store, 'r2', T2, [ipBatch('a1', ['10.0.0.1'])]);

    // At most one edge listed: the three unreported ones take the two-pass path.
    const db = new Database(path);
    expect(deactivateAllUnreported(db, SOURCE, 'r2', 1)).toEqual({
      asset_ipaddress: 3,
      asset_hostname: 1,
    });
    expect(deactivateAllUnreported(db, SOURCE, 'r2', 1)).toEqual({});
    db.close();
    const edges = store.listEdges('asset_ipaddress').map((e) => `${e.from}>${e.to}:${e.active}`);
    expect(edges).toEqual([
      'a1>10.0.0.1:true',
      'a1>10.0.0.2:false',
      'a1>10.0.0.3:false',
      'a2>10.0.0.4:false',
    ]);
    await store.close();
  });

  it('deactivates only the given collections of the given assets in an incremental run', async () => {
    const store = stores.open();
    await beginAndWrite(store, 'r1', T1, [
      ipBatch('a1', ['10.0.0.1', '10.0.0.2']),
      ipBatch('a2', ['10.0.0.3']),
    ]);
    await store.finishRun({ outcome: 'ok', summary: {} });
    await beginAndWrite(store, 'r2', T2, [ipBatch('a1', ['10.0.0.1'])], 'incremental');

    const counts = await store.deactivateUnreported({
      kind: 'assets',
      assetIds: ['a1'],
      collections: ['asset_ipaddress'],
    });
    expect(counts).toEqual({ asset_ipaddress: 1 });
    expect(store.listEdges('asset_ipaddress').map((e) => `${e.from}>${e.to}:${e.active}`)).toEqual([
      'a1>10.0.0.1:true',
      'a1>10.0.0.2:false',
      'a2>10.0.0.3:true',
    ]);
    expect(store.listEdges('asset_hostname').every((e) => e.active)).toBe(true);
  });
});

describe('run history and checkpoints', () => {
  it('stores the checkpoint only when the run gives one', async () => {
    const store = stores.open();
    const checkpoint = {
      source: SOURCE,
      runId: 'r1',
      updatedAt: T1.toISOString(),
      machinesLastSeen: '2024-04-30T23:00:00.1234567Z',
    };
    await beginAndWrite(store, 'r1', T1, []);
    await store.finishRun({ outcome: 'ok', checkpoint, summary: { machines: 3 } });
    await beginAndWrite(store, 'r2', T2, []);
    await store.finishRun({ outcome: 'partial', summary: { machines: 1 } });

    expect(await store.getCheckpoint(SOURCE)).toEqual(checkpoint);
    expect(await store.getCheckpoint('other')).toBeUndefined();
  });

  it('lists runs newest first and marks a run left running as failed, interrupted', async () => {
    const store = stores.open();
    await beginAndWrite(store, 'r1', T1, []);
    await beginAndWrite(store, 'r2', T2, []);
    await store.finishRun({ outcome: 'ok', summary: { written: 2 } });

    const runs = await store.listRuns(SOURCE, 10);
    expect(runs.map((r) => [r.runId, r.outcome])).toEqual([
      ['r2', 'ok'],
      ['r1', 'failed'],
    ]);
    expect(runs[0]).toMatchObject({
      mode: 'full',
      startedAt: T2.toISOString(),
      summary: { written: 2 },
    });
    expect(runs[1]!.summary).toEqual({ reason: 'interrupted' });
    expect(await store.listRuns(SOURCE, 1)).toHaveLength(1);
  });

  it('refuses a run while a live process runs a sync of the same source (STORE_BUSY)', async () => {
    const store = stores.open('busy.db');
    await beginAndWrite(store, 'r1', T1, []);
    // The run now looks as if another process on this host, still alive (our parent), began it.
    const db = new Database(join(stores.dir, 'busy.db'));
    db.prepare(`UPDATE runs SET owner = ? WHERE run_id = 'r1'`).run(
      JSON.stringify({ pid: process.ppid, host: hostname() }),
    );
    db.close();

    const err = await beginAndWrite(store, 'r2', T2, []).catch((e: unknown) => e);
    expect(hasCode(err, 'STORE_BUSY')).toBe(true);
    expect((err as Error).message).toMatch(/another sync of mde-test \(run r1, process \d+/);
    expect((await store.listRuns(SOURCE, 10)).map((r) => [r.runId, r.outcome])).toEqual([
      ['r1', 'running'],
    ]);
  });

  it('takes over from a run whose process is gone, marking it interrupted', async () => {
    const store = stores.open('gone.db');
    await beginAndWrite(store, 'r1', T1, []);
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    const db = new Database(join(stores.dir, 'gone.db'));
    db.prepare(`UPDATE runs SET owner = ? WHERE run_id = 'r1'`).run(
      JSON.stringify({ pid: gone, host: hostname() }),
    );
    db.close();

    await beginAndWrite(store, 'r2', T2, []);
    const runs = await store.listRuns(SOURCE, 10);
    expect(runs.map((r) => [r.runId, r.outcome])).toEqual([
      ['r2', 'running'],
      ['r1', 'failed'],
    ]);
  });

  it('keeps runs and checkpoints when the store is reopened', async () => {
    const store = stores.open('kept.db');
    await beginAndWrite(store, 'r1', T1, [ipBatch('a1', ['10.0.0.1'])]);
    await store.finishRun({
      outcome: 'ok',
      checkpoint: { source: SOURCE, runId: 'r1', updatedAt: T1.toISOString() },
      summary: {},
    });
    await store.close();

    const reopened = stores.open('kept.db');
    expect((await reopened.listRuns(SOURCE, 5)).map((r) => r.runId)).toEqual(['r1']);
    expect((await reopened.getCheckpoint(SOURCE))?.runId).toBe('r1');
    expect(reopened.getVertex('ipaddress', '10.0.0.1')).toBeDefined();
  });
});

describe('risk inputs', () => {
  it('reads Defender fields, open alerts only, and the highest CVSS of active CVE edges', async () => {
    const ctx = testContext();
    const store = stores.open();
    const machine = mapMachines(
      [
        {
          id: 'a1',
          riskScore: 'Medium',
          exposureLevel: 'High',
          deviceValue: 'High',
          onboardingStatus: 'Onboarded',
        },
      ],
      ctx,
    );
    const alerts = mapAlerts(
      [
        { id: 'open', machineId: 'a1', severity: 'High', status: 'New' },
        { id: 'closed', machineId: 'a1', severity: 'Medium', status: 'Resolved' },
      ] as Alert[],
      ctx,
    );
    const cves: GraphBatch = {
      vertices: {
        vulnerability: [
          {
            external_id: 'CVE-2024-0001',
            name: 'CVE-2024-0001',
            base_score: 9.8,
            properties: { kind: 'cve' },
          },
          {
            external_id: 'CVE-2024-0002',
            name: 'CVE-2024-0002',
            base_score: 5.0,
            properties: { kind: 'cve' },
          },
        ],
      },
      edges: {
        asset_vulnerability: [
          { _from_external_id: 'a1', _to_external_id: 'CVE-2024-0001', active: false },
          { _from_external_id: 'a1', _to_external_id: 'CVE-2024-0002', active: true },
        ],
      },
    };
    await beginAndWrite(store, 'r1', T1, [machine.batch, alerts.batch, cves]);

    expect(await store.riskInputs(SOURCE, ['a1', 'unknown'])).toEqual([
      {
        assetId: 'a1',
        riskScore: 'Medium',
        exposureLevel: 'High',
        deviceValue: 'High',
        onboardingStatus: 'Onboarded',
        openAlertSeverities: ['High'],
        maxCvss: 5,
      },
    ]);
    expect((await store.riskInputs(SOURCE, 'all')).map((r) => r.assetId)).toEqual(['a1']);
  });
});

describe('operations for the CAR emulator', () => {
  it('imports without a run, and a full-import session deactivates what it did not report', () => {
    const store = stores.open();
    store.applyImport(SOURCE, '1714550400000', ipBatch('a1', ['10.0.0.1', '10.0.0.2']));
    store.beginFullImportSession(SOURCE);
    store.applyImport(SOURCE, '1714636800000', ipBatch('a1', ['10.0.0.1']));
    expect(store.endFullImportSession(SOURCE)).toEqual({ asset_ipaddress: 1 });
    expect(store.listEdges('asset_ipaddress').map((e) => `${e.to}:${e.active}`)).toEqual([
      '10.0.0.1:true',
      '10.0.0.2:false',
    ]);
    expect(store.getVertex('ipaddress', '10.0.0.1')!.lastReportedMs).toBe(1714636800000);
  });

  it('patches an edge by its ends in either spelling, soft-deletes vertices, and keeps model state', () => {
    const store = stores.open();
    store.applyImport(SOURCE, '1', ipBatch('a1', ['10.0.0.1']));
    expect(
      store.patchEdges('asset_ipaddress', SOURCE, 'a1', 'ipaddress/10.0.0.1', { active: false }),
    ).toBe(1);
    expect(store.listEdges('asset_ipaddress')[0]!.active).toBe(false);

    expect(store.deleteVertices(SOURCE, 'asset', ['a1', 'nope'], 'external_id')).toBe(1);
    expect(store.getVertex('asset', 'a1')!.deleted).toBe(true);
    expect(store.listEdges('asset_hostname').every((e) => !e.active)).toBe(true);

    expect(store.getModelState(SOURCE)).toBeUndefined();
    store.setModelState(SOURCE, '1714550400000');
    expect(store.getModelState(SOURCE)).toBe('1714550400000');
  });
});

describe('write benchmark helper', () => {
  it('maps and writes synthetic machines and reports the rows it wrote', async () => {
    const { benchmarkEmbeddedWrite } =
      await import('../../../../src/targets/embedded/bench-write.ts');
    const result = await benchmarkEmbeddedWrite({
      assets: 25,
      pageSize: 10,
      logger: silentLogger(),
    });
    // Per machine: asset, hostname, 4 IPs, 2 MACs and 11 edges; the OS apps and the shared
    // external IP are written once per page.
    expect(result.assets).toBe(25);
    expect(result.rowsWritten).toBeGreaterThan(25 * 18);
  });
});
