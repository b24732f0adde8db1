import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCarEmulator, type CarEmulator } from '../../../src/car-emulator/server.ts';
import type { DatabaseState } from '../../../src/car-emulator/routes.ts';
import { silentLogger } from '../../../src/log.ts';
import { CarApi } from '../../../src/targets/car/car-api.ts';
import { CarHttpClient } from '../../../src/targets/car/http.ts';
import { ensureDatabaseReady } from '../../../src/targets/car/readiness.ts';
import { loadBatch } from '../car/helpers.ts';

const AUTH = `Basic ${Buffer.from('connector:emulator-password').toString('base64')}`;
const SOURCE = 'atp-mock';
const REPORT = {
  _key: '1796397399106.521',
  timestamp: 1796397399106.521,
  type: 'MDE',
  description: 'imports',
};
const SOURCE_DOC = {
  _key: SOURCE,
  name: 'tenant',
  description: 'imports',
  product_link: 'https://securitycenter.windows.com/',
};

describe('CAR emulator', () => {
  let dir: string;
  let emulator: CarEmulator;

  async function start(database?: DatabaseState): Promise<void> {
    emulator = await startCarEmulator({
      dbPath: join(dir, 'emulator.db'),
      auth: { key: 'connector', password: 'emulator-password' },
      importDelayMs: 5,
      ...(database === undefined ? {} : { database }),
    });
  }

  async function call(method: string, path: string, body?: unknown, authorization = AUTH) {
    const url = path.startsWith('/v3')
      ? `${emulator.url.replace(/\/v2$/, '')}${path}`
      : `${emulator.url}${path}`;
    const res = await request(url, {
      method: method as 'GET',
      headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
    };
  }

  async function untilDone(
    kind: 'jobstatus' | 'importstatus',
    id: string,
  ): Promise<Record<string, unknown>> {
    for (;;) {
      const res = await call(
        'GET',
        kind === 'jobstatus' ? `/jobstatus/${id}` : `/importstatus?ids=${id}`,
      );
      const body = res.body ?? {};
      const pending =
        kind === 'jobstatus'
          ? body.status === 'INPROGRESS'
          : (body.incomplete_imports as unknown[]).length > 0;
      if (!pending) return body;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'car-emulator-'));
  });

  afterEach(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the request sequence of the existing connector full import (car-service.md §4.10)', async () => {
    await start();
    const batch = loadBatch('two-machines-run-1');

    expect((await call('GET', '/databases')).body).toMatchObject({
      databases: [{ is_ready: true }],
    });
    const open = await call('POST', `/source/${SOURCE}/full-import-in-progress`);
    expect(await untilDone('jobstatus', open.body?.job_id as string)).toMatchObject({
      status: 'COMPLETE',
    });
    const init = await call('POST', '/imports', { source: SOURCE_DOC, report: REPORT });
    expect(init.body).toMatchObject({ status: 'INPROGRESS' });
    expect(await untilDone('importstatus', init.body?.id as string)).toMatchObject({
      success: true,
    });
    expect((await call('GET', '/v3/importSchema?version=v2')).body).toMatchObject({
      version: 'v2',
      schema: { type: 'object' },
    });

    for (const part of [batch.vertices, batch.edges]) {
      const ids: string[] = [];
      for (const [collection, records] of Object.entries(part)) {
        const res = await call('POST', '/imports', {
          source: SOURCE_DOC,
          report: REPORT,
          [collection]: records,
        });
        expect(res.status).toBe(200);
        ids.push(res.body?.id as string);
      }
      const status = await untilDone('importstatus', ids.join(','));
      expect((status.complete_imports as unknown[]).length).toBe(ids.length);
    }

    const close = await call('DELETE', `/source/${SOURCE}/full-import-in-progress`);
    expect(await untilDone('jobstatus', close.body?.job_id as string)).toMatchObject({
      status: 'COMPLETE',
    });
    expect(
      (await call('PATCH', `/source?key=${SOURCE}`, { model_state_id: '1796397399106.521' })).body,
    ).toEqual({ result: 'OK' });
    expect((await call('GET', `/source/${SOURCE}`)).body).toMatchObject({
      model_state_id: '1796397399106.521',
    });
    expect(emulator.store.listVertices('asset', SOURCE)).toHaveLength(2);
    expect(emulator.store.listEdges('asset_ipaddress', SOURCE).every((edge) => edge.active)).toBe(
      true,
    );
  });

  it('answers 401 with a JSON error body for wrong or missing credentials, but serves health', async () => {
    await start();
    const wrong = await call(
      'GET',
      '/databases',
      undefined,
      `Basic ${Buffer.from('connector:nope').toString('base64')}`,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ errors: [{ code: 'unauthorized' }] });
    expect((await call('GET', '/imports', undefined, '')).status).toBe(401);
    expect((await call('GET', '/health', undefined, '')).body).toEqual({ message: 'ok' });
    expect((await call('GET', '/v3/health', undefined, '')).body).toEqual({ message: 'ok' });
  });

  it("rejects an invalid import with CAR's data_mal_formed body holding JSON-encoded ajv errors", async () => {
    await start();
    const res = await call('POST', '/imports', {
      source: SOURCE_DOC,
      report: REPORT,
      macaddress: [{ _key: '0g:01', name: '0g:01' }],
    });

    expect(res.status).toBe(400);
    expect(typeof res.body?.trace).toBe('string');
    const [error] = res.body?.errors as { code: string; message: string }[];
    expect(error?.code).toBe('data_mal_formed');
    const ajvErrors = JSON.parse(error?.message ?? '') as Record<string, unknown>[];
    expect(ajvErrors[0]).toMatchObject({ dataPath: '.macaddress[0].name', keyword: 'pattern' });
    expect(Object.keys(ajvErrors[0] ?? {}).sort()).toEqual([
      'dataPath',
      'keyword',
      'message',
      'params',
      'schemaPath',
    ]);
  });

  it('deactivates at the session close the edges the full import did not report', async () => {
    await start();
    const first = loadBatch('two-machines-run-1');
    emulator.store.applyImport(SOURCE, '1', first);
    const open = await call('POST', `/source/${SOURCE}/full-import-in-progress`);
    await untilDone('jobstatus', open.body?.job_id as string);
    const edges = {
      _from_external_id: 'm-0002',
      _to: 'ipaddress/10.0.0.18',
      active: true,
      source: SOURCE,
      report: '2',
      timestamp: 2,
    };
    const imported = await call('POST', '/imports', {
      source: SOURCE_DOC,
      report: { ...REPORT, _key: '2' },
      asset_ipaddress: [edges],
    });
    await untilDone('importstatus', imported.body?.id as string);
    const close = await call('DELETE', `/source/${SOURCE}/full-import-in-progress`);
    await untilDone('jobstatus', close.body?.job_id as string);

    const active = emulator.store
      .listEdges('asset_ipaddress', SOURCE)
      .filter((edge) => edge.active);
    expect(active.map((edge) => `${edge.from}>${edge.to}`)).toEqual(['m-0002>10.0.0.18']);
  });

  for (const database of ['missing', 'no-graph', 'no-indexes'] as const) {
    it(`gets a ${database} database ready through the readiness steps of car-service.md §1.4`, async () => {
      await start(database);
      const http = new CarHttpClient({
        baseUrl: emulator.url,
        auth: { key: 'connector', password: 'emulator-password' },
        timeoutMs: 2_000,
        logger: silentLogger(),
      });
      try {
        const api = new CarApi(
          http,
          { initialMs: 5, maxMs: 20, deadlineMs: 2_000 },
          silentLogger(),
        );
        expect(await ensureDatabaseReady(api, silentLogger())).toBe('NEWLY_CREATED');
        expect(await ensureDatabaseReady(api, silentLogger())).toBe('READY');
        const changes = emulator.requests.filter(
          (req) => req.path === '/v2/databases' && req.method !== 'GET',
        );
        expect(changes.map((req) => req.method)).toEqual([
          database === 'missing' ? 'POST' : 'PATCH',
        ]);
      } finally {
        await http.close();
      }
    });
  }
});
