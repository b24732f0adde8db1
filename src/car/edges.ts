/**
 * Edge endpoint conventions of the CAR import schema (car-service.md §2.3 table): which end of
 * each edge collection is written as `_from`/`_to` (`<collection>/<key>`) and which as
 * `_from_external_id`/`_to_external_id` (the plain id). `account_hostname` names the host by
 * `_to_external_id`, so hostname vertices carry `external_id` equal to their `_key`.
 */
import type { MappingContext } from './context.ts';
import type { EdgeCollection, EdgeRecord, VertexCollection } from './types.ts';

type EndField = '_from' | '_from_external_id' | '_to' | '_to_external_id';

/** Per edge collection: [from field, to field]. */
export const EDGE_ENDS: Record<EdgeCollection, [EndField, EndField]> = {
  asset_hostname: ['_from_external_id', '_to'],
  asset_ipaddress: ['_from_external_id', '_to'],
  asset_macaddress: ['_from_external_id', '_to'],
  ipaddress_macaddress: ['_from', '_to'],
  asset_account: ['_from_external_id', '_to_external_id'],
  user_account: ['_from_external_id', '_to_external_id'],
  account_hostname: ['_from_external_id', '_to_external_id'],
  asset_application: ['_from_external_id', '_to_external_id'],
  application_vulnerability: ['_from_external_id', '_to_external_id'],
  asset_vulnerability: ['_from_external_id', '_to_external_id'],
};

/** The vertex collections at both ends of an edge collection (`asset_ipaddress` → asset, ipaddress). */
export function edgeEndCollections(
  collection: EdgeCollection,
): [VertexCollection, VertexCollection] {
  const [from, to] = collection.split('_') as [VertexCollection, VertexCollection];
  return [from, to];
}

/** Per edge collection: the `<collection>/` prefixes of its key-based ends ('' otherwise). */
const END_PREFIXES = Object.fromEntries(
  Object.entries(EDGE_ENDS).map(([collection, [fromField, toField]]) => {
    const [from, to] = edgeEndCollections(collection as EdgeCollection);
    return [
      collection,
      [fromField === '_from' ? `${from}/` : '', toField === '_to' ? `${to}/` : ''],
    ];
  }),
) as Record<EdgeCollection, [string, string]>;

/** Builds an edge holding only its endpoint fields, from plain ids (keys or external ids). */
export function edgeEnds(collection: EdgeCollection, fromId: string, toId: string): EdgeRecord {
  const [fromField, toField] = EDGE_ENDS[collection];
  const [fromPrefix, toPrefix] = END_PREFIXES[collection];
  const record = { active: true } as EdgeRecord;
  record[fromField] = fromPrefix + fromId;
  record[toField] = toPrefix + toId;
  return record;
}

/**
 * The record `edgeEnds` gives, with `active` and the run's `source`, `report` and `timestamp`
 * set after the ends, built as one literal per field style: a large sync builds millions of these.
 */
export function stampedEdge(
  collection: EdgeCollection,
  fromId: string,
  toId: string,
  active: boolean,
  ctx: Pick<MappingContext, 'source' | 'reportKey' | 'timestampMs'>,
): EdgeRecord {
  const [fromField, toField] = EDGE_ENDS[collection];
  const [fromPrefix, toPrefix] = END_PREFIXES[collection];
  const { source, reportKey: report, timestampMs: timestamp } = ctx;
  if (fromField === '_from_external_id' && toField === '_to') {
    return { active, _from_external_id: fromId, _to: toPrefix + toId, source, report, timestamp };
  }
  if (fromField === '_from_external_id' && toField === '_to_external_id') {
    return { active, _from_external_id: fromId, _to_external_id: toId, source, report, timestamp };
  }
  if (fromField === '_from' && toField === '_to') {
    return { active, _from: fromPrefix + fromId, _to: toPrefix + toId, source, report, timestamp };
  }
  const record = edgeEnds(collection, fromId, toId);
  record.active = active;
  record.source = source;
  record.report = report;
  record.timestamp = timestamp;
  return record;
}

/**
 * The plain ids at both ends of an edge record, whichever field style it uses; undefined when
 * an end is missing. A `_from`/`_to` value loses its `<collection>/` prefix.
 */
export function edgeEndIds(edge: EdgeRecord): { from: string; to: string } | undefined {
  const from = edge._from_external_id ?? stripCollection(edge._from);
  const to = edge._to_external_id ?? stripCollection(edge._to);
  if (typeof from !== 'string' || typeof to !== 'string' || from === '' || to === '') {
    return undefined;
  }
  return { from, to };
}

function stripCollection(ref: string | undefined): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const slash = ref.indexOf('/');
  return slash === -1 ? ref : ref.slice(slash + 1);
}
