/** Small readers over mapped batches, so tests assert on the fields that matter. */
import type { MappingContext } from '../../../src/car/context.ts';
import { edgeEndIds } from '../../../src/car/edges.ts';
import type {
  EdgeCollection,
  EdgeRecord,
  GraphBatch,
  VertexCollection,
  VertexRecord,
} from '../../../src/car/types.ts';

export const REPORT_MS = 1_714_550_400_000;

/** A fresh mapping context with merge and host-name maps, as the sync keeps one per run. */
export function testContext(overrides: Partial<MappingContext> = {}): MappingContext {
  return {
    source: 'mde-test',
    reportKey: String(REPORT_MS),
    timestampMs: REPORT_MS,
    includeUnmanaged: true,
    mergedInto: new Map(),
    hostnames: new Map(),
    ...overrides,
  };
}

/** The vertex of a collection with that `_key` or `external_id`. */
export function vertex(
  batch: GraphBatch,
  collection: VertexCollection,
  id: string,
): VertexRecord | undefined {
  return (batch.vertices[collection] ?? []).find((v) => v._key === id || v.external_id === id);
}

/** Sorted ids (`_key` or `external_id`) of a vertex collection. */
export function vertexIds(batch: GraphBatch, collection: VertexCollection): string[] {
  return (batch.vertices[collection] ?? []).map((v) => (v._key ?? v.external_id) as string).sort();
}

/** Edges of a collection as sorted `from -> to` strings, with ` (inactive)` when not active. */
export function edgeList(batch: GraphBatch, collection: EdgeCollection): string[] {
  return (batch.edges[collection] ?? [])
    .map((edge) => {
      const ends = edgeEndIds(edge)!;
      return `${ends.from} -> ${ends.to}${edge.active ? '' : ' (inactive)'}`;
    })
    .sort();
}

/** The edge of a collection between two plain ids. */
export function edge(
  batch: GraphBatch,
  collection: EdgeCollection,
  from: string,
  to: string,
): EdgeRecord | undefined {
  return (batch.edges[collection] ?? []).find((e) => {
    const ends = edgeEndIds(e);
    return ends?.from === from && ends.to === to;
  });
}
