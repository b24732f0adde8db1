/**
 * Upserts CAR import records into the store with CAR's semantics: a vertex is identified by
 * `_key` (hostname, ipaddress, macaddress) or `external_id` within its source, and a second
 * import merges fields into the first (JSON merge patch); an edge is identified by its two ends
 * and carries `active`, first and last reported (ms), the report key and the run that last
 * reported it, which is what deactivation compares against.
 */
import type { Database, Statement } from 'better-sqlite3';
import { edgeEndIds } from '../../car/edges.ts';
import {
  KEY_COLLECTIONS,
  type EdgeRecord,
  type GraphBatch,
  type VertexRecord,
} from '../../car/types.ts';
import type { CollectionCounts } from '../target.ts';

/** Who is writing: the source, the report, its time and the run (or session) id. */
export interface WriteStamp {
  source: string;
  reportKey: string;
  reportedAtMs: number;
  runId: string;
}

/** Edge fields stored in columns, not in the `data` JSON. */
const EDGE_COLUMNS = new Set([
  '_from',
  '_to',
  '_from_external_id',
  '_to_external_id',
  'active',
  'source',
  'report',
  'timestamp',
]);

/** Prepared upsert statements, compiled once per store. */
export class GraphWriter {
  private readonly upsertVertex: Statement;
  private readonly upsertEdge: Statement;

  constructor(private readonly db: Database) {
    this.upsertVertex = db.prepare(`
      INSERT INTO vertices (source, collection, id, name, data, report, first_reported, last_reported, last_run_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (source, collection, id) DO UPDATE SET
        name = coalesce(excluded.name, vertices.name),
        data = json_patch(vertices.data, excluded.data),
        report = excluded.report,
        last_reported = excluded.last_reported,
        last_run_id = excluded.last_run_id,
        deleted = 0`);
    this.upsertEdge = db.prepare(`
      INSERT INTO edges (source, collection, from_id, to_id, data, active, report, first_reported, last_reported, last_active_at, last_run_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (source, collection, from_id, to_id) DO UPDATE SET
        data = coalesce(excluded.data, edges.data),
        active = excluded.active,
        report = excluded.report,
        last_reported = excluded.last_reported,
        last_active_at = CASE WHEN excluded.active = 1 THEN excluded.last_reported ELSE edges.last_active_at END,
        last_run_id = excluded.last_run_id`);
  }

  /** Writes a batch in one transaction; returns records written per collection. */
  write(batch: GraphBatch, stamp: WriteStamp): CollectionCounts {
    return this.db.transaction(() => this.writeUnsafe(batch, stamp))();
  }

  /** Writes without opening a transaction; the caller holds one. */
  writeUnsafe(batch: GraphBatch, stamp: WriteStamp): CollectionCounts {
    const counts: CollectionCounts = {};
    for (const [collection, records] of Object.entries(batch.vertices)) {
      let written = 0;
      for (const record of records ?? []) written += this.vertex(collection, record, stamp);
      if (written > 0) counts[collection as keyof CollectionCounts] = written;
    }
    for (const [collection, records] of Object.entries(batch.edges)) {
      let written = 0;
      for (const record of records ?? []) written += this.edge(collection, record, stamp);
      if (written > 0) counts[collection as keyof CollectionCounts] = written;
    }
    return counts;
  }

  private vertex(collection: string, record: VertexRecord, stamp: WriteStamp): number {
    const id = KEY_COLLECTIONS.has(collection) ? record._key : record.external_id;
    if (typeof id !== 'string' || id === '') return 0;

    const name = searchName(collection, record, id);
    this.upsertVertex.run(
      stamp.source,
      collection,
      id,
      name,
      JSON.stringify(record),
      stamp.reportKey,
      stamp.reportedAtMs,
      stamp.reportedAtMs,
      stamp.runId,
    );
    return 1;
  }

  private edge(collection: string, record: EdgeRecord, stamp: WriteStamp): number {
    const ends = edgeEndIds(record);
    if (!ends) return 0;

    const at =
      typeof record.timestamp === 'number' ? Math.trunc(record.timestamp) : stamp.reportedAtMs;
    const active = record.active === false ? 0 : 1;
    this.upsertEdge.run(
      stamp.source,
      collection,
      ends.from,
      ends.to,
      extraEdgeData(record),
      active,
      stamp.reportKey,
      at,
      at,
      active === 1 ? at : null,
      stamp.runId,
    );
    return 1;
  }
}

/** The value search matches: the host name key, the canonical IP or MAC, or the vertex name. */
function searchName(collection: string, record: VertexRecord, id: string): string | null {
  if (collection === 'hostname') return id;
  if (typeof record.name === 'string') return record.name;
  return KEY_COLLECTIONS.has(collection) ? id : null;
}

/** Edge fields beyond the ends and bookkeeping (e.g. `last_access_time`), or null. */
function extraEdgeData(record: EdgeRecord): string | null {
  let extra: Record<string, unknown> | undefined;
  for (const [field, value] of Object.entries(record)) {
    if (EDGE_COLUMNS.has(field)) continue;
    extra ??= {};
    extra[field] = value;
  }
  return extra === undefined ? null : JSON.stringify(extra);
}
