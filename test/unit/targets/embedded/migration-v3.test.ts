import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../src/log.ts';
import {
  openEmbeddedStore,
  SCHEMA_VERSION,
  type EmbeddedStore,
} from '../../../../src/targets/embedded/index.ts';
import { MIGRATIONS } from '../../../../src/targets/embedded/migrations.ts';
import { SOURCE, tempStores } from './temp-store.ts';

let stores = tempStores();
const opened: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  await stores.cleanup();
  stores = tempStores();
});

const ASSET = {
  external_id: 'a1',
  name: 'desktop-01.contoso.com',
  properties: { riskScore: 'High', healthStatus: 'Active', onboardingStatus: 'Onboarded' },
};
const CVE = { external_id: 'CVE-2024-0001', name: 'CVE-2024-0001', base_score: 9.8 };

/** A version-2 file as the v2 writer left it, including an edge whose end was never imported. */
function writeVersion2File(path: string): void {
  const db = new Database(path);
  db.exec(MIGRATIONS[0]!);
  db.exec(MIGRATIONS[1]!);
  db.pragma('user_version = 2');
  const vertex = db.prepare(
    `INSERT INTO vertices (source, collection, id, name, data, report, first_reported, last_reported, last_run_id, lifecycle, miss_count)
     VALUES (?, ?, ?, ?, ?, '200', 100, 200, 'run-2', ?, ?)`,
  );
  vertex.run(SOURCE, 'asset', 'a1', ASSET.name, JSON.stringify(ASSET), 'active', 0);
  vertex.run(SOURCE, 'asset', 'a2', 'old-host', '{"external_id":"a2"}', 'inactive', 1);
  vertex.run(SOURCE, 'ipaddress', '10.0.0.1', '10.0.0.1', '{"_key":"10.0.0.1"}', 'active', 0);
  vertex.run(SOURCE, 'vulnerability', CVE.external_id, CVE.name, JSON.stringify(CVE), 'active', 0);
  vertex.run('other', 'asset', 'a1', 'twin', '{"external_id":"a1"}', 'active', 0);
  const edge = db.prepare(
    `INSERT INTO edges (source, collection, from_id, to_id, data, active, report, first_reported, last_reported, last_active_at, last_run_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, 100, ?, ?, ?)`,
  );
  edge.run(SOURCE, 'asset_ipaddress', 'a1', '10.0.0.1', null, 1, '200', 200, 200, 'run-2');
  edge.run(SOURCE, 'asset_ipaddress', 'a2', '10.0.0.1', null, 0, '100', 150, 100, 'run-1');
  edge.run(SOURCE, 'asset_vulnerability', 'a1', CVE.external_id, null, 1, '200', 200, 200, 'run-2');
  // The account end was never imported as a vertex: v2 kept the edge by its plain ids.
  edge.run(
    SOURCE,
    'asset_account',
    'a1',
    'S-1-5-21-1',
    '{"last_access_time":5}',
    1,
    '200',
    200,
    200,
    'run-2',
  );
  edge.run('other', 'asset_ipaddress', 'a1', '10.9.9.9', null, 1, '300', 300, 300, null);
  db.close();
}

function openMigrated(readonly = false): EmbeddedStore {
  const path = join(stores.dir, 'v2.db');
  writeVersion2File(path);
  const store = openEmbeddedStore({ path, logger: silentLogger(), readonly });
  opened.push(store);
  return store;
}

describe('upgrading a version-2 store to the compact schema', () => {
  it('reads every vertex back the same, and no edge end appears as a vertex', () => {
    const store = openMigrated();
    expect(store.getVertex('asset', 'a1', SOURCE)).toEqual({
      source: SOURCE,
      collection: 'asset',
      id: 'a1',
      record: ASSET,
      report: '200',
      firstReportedMs: 100,
      lastReportedMs: 200,
      deleted: false,
      lifecycle: 'active',
      missCount: 0,
    });
    expect(store.listVertices('asset').map((v) => `${v.source}/${v.id}/${v.lifecycle}`)).toEqual([
      `${SOURCE}/a1/active`,
      `${SOURCE}/a2/inactive`,
      'other/a1/active',
    ]);
    expect(store.listVertices('account')).toEqual([]);
    expect(store.getVertex('account', 'S-1-5-21-1')).toBeUndefined();
    expect(store.listVertices('ipaddress', 'other')).toEqual([]);
  });

  it('reads every edge back with its ends, flags, times, report and extra data', () => {
    const store = openMigrated();
    const edges = (collection: string, source?: string) =>
      store
        .listEdges(collection, source)
        .map((e) => [
          e.source,
          e.from,
          e.to,
          e.active,
          e.report,
          e.firstReportedMs,
          e.lastReportedMs,
        ]);
    expect(edges('asset_ipaddress')).toEqual([
      ['mde-test', 'a1', '10.0.0.1', true, '200', 100, 200],
      ['mde-test', 'a2', '10.0.0.1', false, '100', 100, 150],
      ['other', 'a1', '10.9.9.9', true, '300', 100, 300],
    ]);
    expect(edges('asset_ipaddress', 'other')).toHaveLength(1);
    expect(store.listEdges('asset_account')).toEqual([
      {
        source: SOURCE,
        collection: 'asset_account',
        from: 'a1',
        to: 'S-1-5-21-1',
        active: true,
        report: '200',
        firstReportedMs: 100,
        lastReportedMs: 200,
        data: { last_access_time: 5 },
      },
    ]);
  });

  it('answers search, risk inputs and deactivation as before the upgrade', async () => {
    const store = openMigrated();
    const result = store.search('ip', '10.0.0.1');
    expect(result.current.map((h) => h.asset.externalId)).toEqual(['a1']);
    expect(result.past.map((h) => [h.asset.externalId, h.lastSeen])).toEqual([
      ['a2', new Date(100).toISOString()],
    ]);
    expect(result.current[0]!.asset.users).toEqual(['S-1-5-21-1']);
    expect(await store.riskInputs(SOURCE, ['a1'])).toEqual([
      expect.objectContaining({ assetId: 'a1', riskScore: 'High', maxCvss: 9.8 }),
    ]);

    // run-2 reported a1's edges; a full deactivation by another run turns them off.
    expect(store.endFullImportSession(SOURCE)).toEqual({});
    await store.beginRun({
      runId: 'run-2',
      source: SOURCE,
      mode: 'full',
      startedAt: new Date(300),
      reportKey: '300',
    });
    expect(await store.deactivateUnreported({ kind: 'full' })).toEqual({});
    await store.finishRun({ outcome: 'ok', summary: {} });
    await store.beginRun({
      runId: 'run-3',
      source: SOURCE,
      mode: 'full',
      startedAt: new Date(400),
      reportKey: '400',
    });
    expect(await store.deactivateUnreported({ kind: 'full' })).toEqual({
      asset_ipaddress: 1,
      asset_vulnerability: 1,
      asset_account: 1,
    });
    expect(store.listEdges('asset_ipaddress', 'other')[0]!.active).toBe(true);
  });

  it('upgrades on a read-only open too, so search works on a file from an older connector', () => {
    const store = openMigrated(true);
    expect(store.search('ip', '10.0.0.1').current.map((h) => h.asset.externalId)).toEqual(['a1']);
    const db = new Database(join(stores.dir, 'v2.db'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('keeps no name index after the upgrade (schema 5): search goes through the identity index', () => {
    const store = openMigrated();
    expect(store.search('ip', '10.0.0.1').current.map((h) => h.asset.externalId)).toEqual(['a1']);
    expect(store.search('ip', '10.0.0.1', { source: 'other' }).current).toEqual([]);
    const db = new Database(join(stores.dir, 'v2.db'), { readonly: true });
    const indexes = db
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'vertices'`)
      .pluck()
      .all();
    expect(indexes).not.toContain('vertices_by_name');
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT vid, source, id FROM vertices
         WHERE source = ? AND collection = ? AND id = ? AND deleted = 0 AND data IS NOT NULL`,
      )
      .all('s', 'ipaddress', '10.0.0.1') as { detail: string }[];
    expect(plan.map((row) => row.detail).join(' ')).toContain(
      'INDEX sqlite_autoindex_vertices_1 (source=? AND collection=? AND id=?)',
    );
    db.close();
  });
});
