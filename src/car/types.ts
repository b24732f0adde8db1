/**
 * The CAR graph as the connector builds it: vertex and edge records in the CAR import wire
 * shape (../shared/reference/car/importSchema_v2.json; car-service.md §2), so the same objects
 * go to the embedded store, the CAR service and import files without another conversion.
 */

/** Vertex collections the connector writes (DESIGN.md §5). */
export const VERTEX_COLLECTIONS = [
  'asset',
  'hostname',
  'ipaddress',
  'macaddress',
  'user',
  'account',
  'application',
  'vulnerability',
] as const;
export type VertexCollection = (typeof VERTEX_COLLECTIONS)[number];

/** Edge collections the connector writes, named `<from>_<to>` as CAR names them. */
export const EDGE_COLLECTIONS = [
  'asset_hostname',
  'asset_ipaddress',
  'asset_macaddress',
  'ipaddress_macaddress',
  'asset_account',
  'user_account',
  'account_hostname',
  'asset_application',
  'application_vulnerability',
  'asset_vulnerability',
] as const;
export type EdgeCollection = (typeof EDGE_COLLECTIONS)[number];

/** Collections identified by `_key` (car-service.md §2.3); all others by `external_id`. */
export const KEY_COLLECTIONS: ReadonlySet<string> = new Set([
  'hostname',
  'ipaddress',
  'macaddress',
]);

/**
 * A vertex as CAR imports it: `external_id` or `_key` identifies it, the rest are schema
 * fields (dates in epoch milliseconds). `properties` holds connector-specific strings.
 */
export interface VertexRecord {
  external_id?: string;
  _key?: string;
  name?: string;
  properties?: Record<string, unknown>;
  [field: string]: unknown;
}

/**
 * An edge as CAR imports it. Key-based ends use `_from`/`_to` written as `<collection>/<key>`;
 * external-id ends use `_from_external_id`/`_to_external_id` (car-service.md §2.3 table).
 */
export interface EdgeRecord {
  _from?: string;
  _from_external_id?: string;
  _to?: string;
  _to_external_id?: string;
  active: boolean;
  source?: string;
  report?: string;
  timestamp?: number;
  [field: string]: unknown;
}

/** One unit of writing: whatever a page of source data mapped to. */
export interface GraphBatch {
  vertices: Partial<Record<VertexCollection, VertexRecord[]>>;
  edges: Partial<Record<EdgeCollection, EdgeRecord[]>>;
}

/** Why a record was not mapped; counted per reason in the run summary. */
export interface SkipReason {
  entity: string;
  reason: string;
  id?: string;
}

/** The result of mapping: the batch plus what was skipped and what was dropped. */
export interface MappedBatch {
  batch: GraphBatch;
  skipped: SkipReason[];
  /** Counters such as `ipDropped.empty`, `macDropped.allZero` for the run health. */
  counters: Record<string, number>;
}

/** An empty batch, for building up. */
export function emptyBatch(): GraphBatch {
  return { vertices: {}, edges: {} };
}
