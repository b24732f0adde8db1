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
      const rows = vertexRows(collection, records ?? []);
      for (const row of rows) {
        this.upsertVertex.run(
          stamp.source,
          collection,
          row.id,
          row.name,
          row.data,
          stamp.reportKey,
          stamp.reportedAtMs,
          stamp.reportedAtMs,
          stamp.runId,
        );
      }
      if (rows.length > 0) counts[collection as keyof CollectionCounts] = rows.length;
    }
    for (const [collection, records] of Object.entries(batch.edges)) {
      const rows = edgeRows(records ?? [], stamp.reportedAtMs);
      for (const row of rows) {
        this.upsertEdge.run(
          stamp.source,
          collection,
          row.from,
          row.to,
          row.data,
          row.active,
          stamp.reportKey,
          row.at,
          row.at,
          row.active === 1 ? row.at : null,
          stamp.runId,
        );
      }
      if (rows.length > 0) counts[collection as keyof CollectionCounts] = rows.length;
    }
    return counts;
  }
}

interface VertexRow {
  id: string;
  name: string | null;
  data: string;
}

interface EdgeRow {
  from: string;
  to: string;
  data: string | null;
  active: 0 | 1;
  at: number;
}

/**
 * The rows of one vertex collection in identity order. Sorted rows walk the identity index
 * page by page instead of at random; the sort is stable, so a repeated identity is still
 * applied in the order it came.
 */
function vertexRows(collection: string, records: readonly VertexRecord[]): VertexRow[] {
  const byKey = KEY_COLLECTIONS.has(collection);
  const rows: VertexRow[] = [];
  for (const record of records) {
    const id = byKey ? record._key : record.external_id;
    if (typeof id !== 'string' || id === '') continue;
    rows.push({ id, name: searchName(collection, record, id), data: JSON.stringify(record) });
  }
  return rows.sort((a, b) => compareText(a.id, b.id));
}

/** The rows of one edge collection in primary-key order (stable, as for vertices). */
function edgeRows(records: readonly EdgeRecord[], reportedAtMs: number): EdgeRow[] {
  const rows: EdgeRow[] = [];
  for (const record of records) {
    const ends = edgeEndIds(record);
    if (!ends) continue;
    const at = typeof record.timestamp === 'number' ? Math.trunc(record.timestamp) : reportedAtMs;
    rows.push({
      from: ends.from,
      to: ends.to,
      data: extraEdgeData(record),
      active: record.active === false ? 0 : 1,
      at,
    });
  }
  return rows.sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
}

/** Code-unit order: any consistent order gives the locality, so no locale rules are paid for. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
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
  // for-in over own fields: no entry arrays for the hundreds of thousands of plain edges.
  for (const field in record) {
    if (EDGE_COLUMNS.has(field) || !Object.hasOwn(record, field)) continue;
    extra ??= {};
    extra[field] = record[field];
  }
  return extra === undefined ? null : JSON.stringify(extra);
}
