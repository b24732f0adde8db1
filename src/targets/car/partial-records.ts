/**
 * Completing partial vertex updates before they go to CAR. The sync sends some updates as
 * partial records (for example `{external_id, risk, properties}` from the risk phase); the
 * embedded store merges them, but CAR's import schema requires `name` on asset, account,
 * application and vulnerability records, and CAR may replace `properties` rather than merge
 * it. Such a record is merged over the ledger's copy, so CAR always receives a whole record.
 */
import type { GraphBatch, VertexCollection, VertexRecord } from '../../car/types.ts';
import type { EmbeddedStore } from '../embedded/index.ts';

/** Collections whose records the import schema requires to carry `name`. */
const NAMED_COLLECTIONS: ReadonlySet<VertexCollection> = new Set([
  'asset',
  'account',
  'application',
  'vulnerability',
]);

type VertexReader = Pick<EmbeddedStore, 'getVertex'>;

/** The batch with every partial record of a named collection completed from the ledger. */
export function completePartialVertices(
  ledger: VertexReader,
  source: string,
  batch: GraphBatch,
): GraphBatch {
  let vertices: GraphBatch['vertices'] | undefined;
  for (const [collection, records] of Object.entries(batch.vertices) as [
    VertexCollection,
    VertexRecord[],
  ][]) {
    if (!NAMED_COLLECTIONS.has(collection) || records.every((record) => record.name !== undefined))
      continue;
    vertices ??= { ...batch.vertices };
    vertices[collection] = records.map((record) => completed(ledger, source, collection, record));
  }
  return vertices === undefined ? batch : { vertices, edges: batch.edges };
}

function completed(
  ledger: VertexReader,
  source: string,
  collection: string,
  record: VertexRecord,
): VertexRecord {
  if (record.name !== undefined || record.external_id === undefined) return record;
  const stored = ledger.getVertex(collection, record.external_id, source)?.record as
    VertexRecord | undefined;
  // Limitation: a partial record of a vertex the ledger never saw is sent as it is, and CAR rejects it.
  if (stored === undefined) return record;
  const properties = { ...(stored.properties ?? {}), ...(record.properties ?? {}) };
  return { ...stored, ...record, properties };
}
