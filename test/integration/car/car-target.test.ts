import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCarEmulator, type CarEmulator } from '../../../src/car-emulator/server.ts';
import { exitCodeFor, EXIT } from '../../../src/cli/exit-codes.ts';
import { CarImportError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { CarApi } from '../../../src/targets/car/car-api.ts';
import { CarHttpClient } from '../../../src/targets/car/http.ts';
import { openCarTarget } from '../../../src/targets/car/open.ts';
import { openEmbeddedStore, type EmbeddedStore } from '../../../src/targets/embedded/index.ts';
import type { GraphTarget } from '../../../src/targets/target.ts';
import { carConfig, checkpointOf, FAST, graphOf, loadBatch, runOnce, SOURCE } from './helpers.ts';

const PASSWORD = 'car-test-password';

describe('CAR service target against the CAR emulator', () => {
  let dir: string;
  let emulator: CarEmulator;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'car-target-'));
    emulator = await startCarEmulator({
      dbPath: join(dir, 'emulator.db'),
      auth: { key: 'connector', password: PASSWORD },
      importDelayMs: 2,
    });
  });

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function carTarget(options: { password?: string; pageSize?: number; token?: string } = {}) {
    const config = carConfig({ url: emulator.url, dbPath: join(dir, 'ledger.db'), ...options });
    const target = openCarTarget(config, silentLogger(), FAST);
    closers.push(() => target.close());
    return target;
  }

  function directStore(): EmbeddedStore {
    const store = openEmbeddedStore({ path: join(dir, 'direct.db'), logger: silentLogger() });
    closers.push(() => store.close());
    return store;
  }

  it('writes exactly the graph the embedded store gets from the same batches, collection by collection', async () => {
    const car = carTarget();
    const direct = directStore();
    const runs = [loadBatch('two-machines-run-1'), loadBatch('two-machines-run-2')];

    for (const [index, batch] of runs.entries()) {
      const targets: GraphTarget[] = [car, direct];
      for (const target of targets)
        await runOnce(target, { runNumber: index + 1, batches: [batch] });
      expect(graphOf(emulator.store)).toEqual(graphOf(direct));
    }

    const ipEdges = graphOf(emulator.store).asset_ipaddress as { to: string; active: boolean }[];
    expect(ipEdges.find((edge) => edge.to === '10.0.0.17')?.active).toBe(false);
    expect(ipEdges.find((edge) => edge.to === '10.0.0.19')?.active).toBe(true);
  });

  it('stores the checkpoint as the source model_state_id and reads it back', async () => {
    const car = carTarget();
    expect(await car.getCheckpoint(SOURCE)).toBeUndefined();

    await runOnce(car, { runNumber: 1, batches: [loadBatch('two-machines-run-1')] });

    expect(await car.getCheckpoint(SOURCE)).toEqual(checkpointOf(1));
    expect(JSON.parse(emulator.store.getModelState(SOURCE) ?? '')).toEqual(checkpointOf(1));
  });

  it('reads a model state written by the existing connector as no checkpoint', async () => {
    emulator.store.setModelState(SOURCE, '1796397399106.521');
    expect(await carTarget().getCheckpoint(SOURCE)).toBeUndefined();
  });

  it('follows the existing connector order: session, report, vertices, edges, close, model state', async () => {
    await runOnce(carTarget(), { runNumber: 1, batches: [loadBatch('two-machines-run-1')] });

    // Polls repeat while a job runs; consecutive repeats count once.
    const calls = emulator.requests
      .map((req) => `${req.method} ${req.path.replace(/\/jobstatus\/.*/, '/jobstatus/{id}')}`)
      .filter((call, index, all) => call !== all[index - 1] || !call.startsWith('GET'));
    const imports = emulator.requests
      .filter((req) => req.path === '/v2/imports')
      .map(
        (req) =>
          Object.keys(req.records ?? {}).filter((k) => k !== 'source' && k !== 'report')[0] ??
          'report',
      );
    expect(calls.slice(0, 4)).toEqual([
      'GET /v2/databases',
      `POST /v2/source/${SOURCE}/full-import-in-progress`,
      'GET /v2/jobstatus/{id}',
      'POST /v2/imports',
    ]);
    expect(imports).toEqual([
      'report',
      'asset',
      'hostname',
      'ipaddress',
      'macaddress',
      'user',
      'account',
      'vulnerability',
      'asset_hostname',
      'asset_ipaddress',
      'asset_macaddress',
      'ipaddress_macaddress',
      'asset_account',
      'user_account',
      'asset_vulnerability',
    ]);
    const closeAt = calls.lastIndexOf(`DELETE /v2/source/${SOURCE}/full-import-in-progress`);
    expect(closeAt).toBeGreaterThan(calls.lastIndexOf('POST /v2/imports'));
    expect(calls.at(-1)).toBe('PATCH /v2/source');
    expect(emulator.requests.at(-1)?.query).toBe(`key=${SOURCE}`);
  });

  it('sends at most pageSize records per POST /imports, and never more than 2,000', async () => {
    const ips = Array.from({ length: 4_500 }, (_, i) => ({
      _key: `10.1.${Math.floor(i / 250)}.${i % 250}`,
    }));
    await runOnce(carTarget(), {
      runNumber: 1,
      mode: 'incremental',
      batches: [{ vertices: { ipaddress: ips }, edges: {} }],
    });
    const sizes = emulator.requests
      .filter((req) => req.path === '/v2/imports')
      .map((req) => req.records?.ipaddress);
    expect(sizes).toEqual([2_000, 2_000, 500]);
    expect(emulator.store.listVertices('ipaddress', SOURCE)).toHaveLength(4_500);
  });

  it('splits each collection into pages of the configured size', async () => {
    await runOnce(carTarget({ pageSize: 2 }), {
      runNumber: 1,
      batches: [loadBatch('two-machines-run-1')],
    });
    const assetPages = emulator.requests.filter(
      (req) => req.records?.asset_ipaddress !== undefined,
    );
    expect(assetPages.map((req) => req.records?.asset_ipaddress)).toEqual([2, 1]);
    expect(
      emulator.requests.every((req) => Object.values(req.records ?? {}).every((n) => n <= 2)),
    ).toBe(true);
  });

  it('URL-encodes ids in vertex deletes and edge patches', async () => {
    const odd = ['m/1', 'm&2', 'm,3', 'm 4?x=1'];
    const batch = {
      vertices: { asset: odd.map((id) => ({ external_id: id, name: id })) },
      edges: {
        asset_account: [{ _from_external_id: 'm/1', _to_external_id: 'dom\\u&1', active: true }],
      },
    };
    await runOnce(carTarget(), { runNumber: 1, mode: 'incremental', batches: [batch] });

    const http = new CarHttpClient({
      baseUrl: emulator.url,
      auth: { key: 'connector', password: PASSWORD },
      timeoutMs: 2_000,
      logger: silentLogger(),
    });
    closers.push(() => http.close());
    const api = new CarApi(http, { initialMs: 5, maxMs: 20, deadlineMs: 2_000 }, silentLogger());
    await api.patchEdge('asset_account', SOURCE, 'm/1', 'dom\\u&1', { active: false });
    await api.deleteVertices(SOURCE, 'asset', odd);

    const del = emulator.requests.find((req) => req.method === 'DELETE');
    expect(del?.query).toBe('external_ids=m%2F1,m%262,m%2C3,m%204%3Fx%3D1');
    expect(emulator.store.listVertices('asset', SOURCE).map((v) => [v.id, v.deleted])).toEqual(
      [...odd].sort().map((id) => [id, true]),
    );
    expect(emulator.store.listEdges('asset_account', SOURCE)).toMatchObject([
      { from: 'm/1', to: 'dom\\u&1', active: false },
    ]);
  });

  it('disables an asset missing from complete listings by updating it, never deleting it', async () => {
    const car = carTarget();
    const settings = { inactiveGraceDays: 30, missingGraceRuns: 1 };
    await runOnce(car, {
      runNumber: 1,
      batches: [loadBatch('two-machines-run-1')],
      lifecycle: settings,
    });
    const onlyDb = loadBatch('two-machines-run-2');
    onlyDb.vertices.asset = onlyDb.vertices.asset?.filter(
      (asset) => asset.external_id === 'm-0002',
    );
    onlyDb.edges = { asset_vulnerability: onlyDb.edges.asset_vulnerability ?? [] };
    await runOnce(car, { runNumber: 2, batches: [onlyDb], lifecycle: settings });

    const web = emulator.store.getVertex('asset', 'm-0001', SOURCE);
    expect(web?.deleted).toBe(false);
    expect(web?.record).toMatchObject({
      name: 'web-01.contoso.test',
      properties: { lifecycle: 'disabled' },
    });
    expect(
      emulator.store.listEdges('asset_hostname', SOURCE).map((e) => [e.from, e.active]),
    ).toEqual([
      ['m-0001', false],
      ['m-0002', false],
    ]);
    expect(
      emulator.requests.some(
        (req) => req.method === 'DELETE' && !req.path.endsWith('full-import-in-progress'),
      ),
    ).toBe(false);
  });

  it('completes a partial asset update from the ledger so the import schema accepts it', async () => {
    const car = carTarget();
    await runOnce(car, { runNumber: 1, batches: [loadBatch('two-machines-run-1')] });
    const riskOnly = {
      vertices: {
        asset: [{ external_id: 'm-0001', risk: 6.5, properties: { riskLevel: 'high' } }],
      },
      edges: {},
    };
    await runOnce(car, { runNumber: 2, mode: 'incremental', batches: [riskOnly] });

    expect(emulator.store.getVertex('asset', 'm-0001', SOURCE)?.record).toMatchObject({
      name: 'web-01.contoso.test',
      risk: 6.5,
      properties: { healthStatus: 'Active', riskLevel: 'high' },
    });
  });

  it('reads an import id that CAR lists as not found as a failure naming the collection', async () => {
    emulator.setFaults({ forgetImports: [2] });
    const error = await runOnce(carTarget(), {
      runNumber: 1,
      batches: [loadBatch('two-machines-run-1')],
    }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CarImportError);
    expect((error as CarImportError).code).toBe('CAR_IMPORT_FAILED');
    expect((error as CarImportError).details.collection).toBe('asset');
    expect((error as Error).message).toContain('does not know this import id');
  });

  it('gives CAR_AUTH_FAILED naming the URL but not the password for wrong credentials, exit code 10', async () => {
    const target = carTarget({ password: 'wrong-password-123' });
    const error = await runOnce(target, { runNumber: 1, batches: [] }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(CarImportError);
    const carError = error as CarImportError;
    expect(carError.code).toBe('CAR_AUTH_FAILED');
    expect(carError.message).toContain(emulator.url.replace(/\/v2$/, ''));
    expect(carError.message).toContain('CAR_SERVICE_PASSWORD');
    expect(carError.message).not.toContain('wrong-password-123');
    expect(exitCodeFor(carError)).toBe(EXIT.RECOVERABLE);
  });
});

describe('CAR service target with car-token authentication', () => {
  it('sends Authorization: car-token and completes a run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'car-token-'));
    const emulator = await startCarEmulator({
      dbPath: join(dir, 'emulator.db'),
      auth: { token: 'tok-123' },
    });
    const target = openCarTarget(
      carConfig({ url: emulator.url, dbPath: join(dir, 'ledger.db'), token: 'tok-123' }),
      silentLogger(),
      FAST,
    );
    try {
      await runOnce(target, { runNumber: 1, batches: [loadBatch('two-machines-run-1')] });
      expect(emulator.store.listVertices('asset', SOURCE)).toHaveLength(2);
    } finally {
      await target.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
