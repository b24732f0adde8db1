import { afterEach, describe, expect, it } from 'vitest';
import { edgeEnds } from '../../../../src/car/edges.ts';
import type { GraphBatch, VertexRecord } from '../../../../src/car/types.ts';
import { beginAndWrite, SOURCE, tempStores } from './temp-store.ts';

const T1 = new Date('2024-05-01T00:00:00Z');
const T2 = new Date('2024-05-02T00:00:00Z');
const SETTINGS = { inactiveGraceDays: 30, missingGraceRuns: 1 };

let stores = tempStores();
afterEach(async () => {
  await stores.cleanup();
  stores = tempStores();
});

const edgeOnly: GraphBatch = {
  vertices: {},
  edges: { asset_ipaddress: [edgeEnds('asset_ipaddress', 'ghost', '10.0.0.1')] },
};

describe('edges whose ends were never imported as vertices', () => {
  it('keeps the edge but lists no vertex for its ends', async () => {
    const store = stores.open();
    await beginAndWrite(store, 'r1', T1, [edgeOnly]);
    expect(store.listEdges('asset_ipaddress').map((e) => `${e.from}>${e.to}:${e.active}`)).toEqual([
      'ghost>10.0.0.1:true',
    ]);
    expect(store.listVertices('asset')).toEqual([]);
    expect(store.listVertices('ipaddress')).toEqual([]);
    expect(store.getVertex('asset', 'ghost')).toBeUndefined();
    expect(store.search('ip', '10.0.0.1').current).toEqual([]);
    expect(await store.riskInputs(SOURCE, ['ghost'])).toEqual([]);
    expect(store.deleteVertices(SOURCE, 'asset', ['ghost'], 'external_id')).toBe(0);
  });

  it('takes the vertex imported later as a first import, first reported then', async () => {
    const store = stores.open();
    await beginAndWrite(store, 'r1', T1, [edgeOnly]);
    await store.finishRun({ outcome: 'ok', summary: {} });
    const asset: VertexRecord = { external_id: 'ghost', name: 'ghost-host', properties: {} };
    await beginAndWrite(store, 'r2', T2, [
      {
        vertices: { asset: [asset], ipaddress: [{ _key: '10.0.0.1', name: '10.0.0.1' }] },
        edges: {},
      },
    ]);
    expect(store.getVertex('asset', 'ghost')).toMatchObject({
      record: asset,
      firstReportedMs: T2.getTime(),
      lastReportedMs: T2.getTime(),
    });
    const holders = store.search('ip', '10.0.0.1');
    expect(holders.current.map((h) => h.asset.name)).toEqual(['ghost-host']);
  });

  it('counts no lifecycle miss for an asset known only as an edge end', async () => {
    const store = stores.open();
    await beginAndWrite(store, 'r1', T1, [edgeOnly]);
    await store.finishRun({ outcome: 'ok', summary: {} });
    await beginAndWrite(store, 'r2', T2, []);
    const result = await store.applyLifecycle({
      completeListing: true,
      now: T2,
      settings: SETTINGS,
    });
    expect(result).toMatchObject({ missed: 0, disabled: 0 });
  });
});

describe('a write that fails', () => {
  it('leaves nothing behind, and later writes link edges to the right vertices', async () => {
    const store = stores.open();
    const failing: GraphBatch = {
      // A BigInt cannot be stored as JSON: the batch fails after `a1` was inserted.
      vertices: { asset: [{ external_id: 'a1' }, { external_id: 'a2', size: 1n } as never] },
      edges: {},
    };
    await expect(beginAndWrite(store, 'r1', T1, [failing])).rejects.toMatchObject({
      code: 'STORE_FAILED',
    });
    expect(store.listVertices('asset')).toEqual([]);

    // The rolled-back id of a1 now goes to the new IP vertex; the edge must still start at a1.
    await store.write({
      vertices: { ipaddress: [{ _key: '10.0.0.9', name: '10.0.0.9' }] },
      edges: { asset_ipaddress: [edgeEnds('asset_ipaddress', 'a1', '10.0.0.9')] },
    });
    expect(store.listEdges('asset_ipaddress').map((e) => `${e.from}>${e.to}`)).toEqual([
      'a1>10.0.0.9',
    ]);
  });
});
