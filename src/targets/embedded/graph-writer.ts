/**
 * Upserts CAR import records into the store with CAR's semantics: a vertex is identified by
 * `_key` (hostname, ipaddress, macaddress) or `external_id` within its source, and a second
 * import merges fields into the first (JSON merge patch); an edge is identified by its two ends
 * and carries `active`, first and last reported (ms), and the stamp (run and report) that last
 * reported it, which is what deactivation compares against. Ends are stored as vertex ids.
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
import type { EdgeKind, GraphIds, VidTable } from './graph-ids.ts';

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

/** How far the new-or-known guess may lean: a few records undo it when the data changes. */
const NOVELTY_LIMIT = 8;

/** Prepared upsert statements, compiled once per store. */
export class GraphWriter {
  private readonly insertVertex: Statement;
  private readonly updateVertex: Statement;
  private readonly updateNamedVertex: Statement;
  private readonly upsertEdge: Statement;
  /** Recent new vertices minus recent known ones, within ±NOVELTY_LIMIT: > 0 expects new. */
  private novelty = 0;
  /** Vertex ids of the assets the last write wrote (valid once its transaction committed). */
  readonly assetsWritten: number[] = [];

  // A vertex is looked up (cache, then the unique index) and then inserted or updated by vid:
  // cheaper than an upsert returning its vid. An update leaves `name`, and so its index, alone
  // unless the record brings one (the risk write-back does not).
  constructor(
    private readonly db: Database,
    private readonly ids: GraphIds,
  ) {
    this.insertVertex = db.prepare(
      `INSERT INTO vertices (source, collection, id, name, data, report, first_reported, last_reported, last_run_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source, collection, id) DO NOTHING`,
    );
    // A stub row (data NULL: an edge end met before its vertex) takes the record as it comes,
    // as a first insert does, and is first reported now.
    const merge = `data = CASE WHEN data IS NULL THEN ? ELSE json_patch(data, ?) END,
         first_reported = CASE WHEN data IS NULL THEN ? ELSE first_reported END,
         report = ?, last_reported = ?, last_run_id = ?, deleted = 0
       WHERE vid = ?`;
    this.updateVertex = db.prepare(`UPDATE vertices SET ${merge}`);
    this.updateNamedVertex = db.prepare(`UPDATE vertices SET name = ?, ${merge}`);
    this.upsertEdge = db.prepare(`
      INSERT INTO edges (from_vid, kind, to_vid, data, active, first_reported, last_reported, last_active_at, stamp)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (from_vid, kind, to_vid) DO UPDATE SET
        data = coalesce(excluded.data, edges.data),
        active = excluded.active,
        last_reported = excluded.last_reported,
        last_active_at = CASE WHEN excluded.active = 1 THEN excluded.last_reported ELSE edges.last_active_at END,
        stamp = excluded.stamp`);
  }

  /** Writes a batch in one transaction; returns records written per collection. */
  write(batch: GraphBatch, stamp: WriteStamp): CollectionCounts {
    try {
      return this.db.transaction(() => this.writeUnsafe(batch, stamp))();
    } catch (err) {
      this.ids.forget();
      throw err;
    }
  }

  /** Writes without opening a transaction; the caller holds one and calls `ids.forget` on failure. */
  writeUnsafe(batch: GraphBatch, stamp: WriteStamp): CollectionCounts {
    this.assetsWritten.length = 0;
    const counts: CollectionCounts = {};
    for (const [collection, records] of Object.entries(batch.vertices)) {
      if (!records || records.length === 0) continue;
      const table = this.ids.table(stamp.source, collection);
      let written = 0;
      for (const record of records) written += this.vertex(table, record, stamp);
      if (written > 0) counts[collection as keyof CollectionCounts] = written;
    }
    const stampId = this.ids.stampOf(stamp.runId, stamp.reportKey);
    for (const [collection, records] of Object.entries(batch.edges)) {
      if (!records || records.length === 0) continue;
      const kind = this.ids.kindOf(collection);
      const tables = {
        from: this.ids.table(stamp.source, kind.from),
        to: this.ids.table(stamp.source, kind.to),
      };
      let written = 0;
      for (const record of records) written += this.edge(kind, tables, record, stamp, stampId);
      if (written > 0) counts[collection as keyof CollectionCounts] = written;
    }
    return counts;
  }

  private vertex(table: VidTable, record: VertexRecord, stamp: WriteStamp): number {
    const collection = table.collection;
    const id = KEY_COLLECTIONS.has(collection) ? record._key : record.external_id;
    if (typeof id !== 'string' || id === '') return 0;

    const name = searchName(collection, record, id);
    const data = JSON.stringify(record);
    const at = stamp.reportedAtMs;
    let vid = this.ids.cachedVertex(table, id);
    // A first import meets mostly new vertices and a re-import mostly known ones: try first
    // what the last few vertices suggest, so that neither pays an index probe for nothing.
    if (vid === undefined && this.novelty <= 0) vid = this.ids.existingVertex(table, id);
    if (vid === undefined) {
      const inserted = this.insertVertex.run(
        stamp.source,
        collection,
        id,
        name,
        data,
        stamp.reportKey,
        at,
        at,
        stamp.runId,
      );
      if (inserted.changes === 1) {
        this.novelty = Math.min(NOVELTY_LIMIT, this.novelty + 1);
        const newVid = Number(inserted.lastInsertRowid);
        this.ids.rememberVertex(table, id, newVid);
        if (collection === 'asset') this.assetsWritten.push(newVid);
        return 1;
      }
      vid = this.ids.existingVertex(table, id)!;
    }
    this.novelty = Math.max(-NOVELTY_LIMIT, this.novelty - 1);
    if (name === null) {
      this.updateVertex.run(data, data, at, stamp.reportKey, at, stamp.runId, vid);
    } else {
      this.updateNamedVertex.run(name, data, data, at, stamp.reportKey, at, stamp.runId, vid);
    }
    if (collection === 'asset') this.assetsWritten.push(vid);
    return 1;
  }

  private edge(
    kind: EdgeKind,
    tables: { from: VidTable; to: VidTable },
    record: EdgeRecord,
    stamp: WriteStamp,
    stampId: number,
  ): number {
    const ends = edgeEndIds(record);
    if (!ends) return 0;

    const at =
      typeof record.timestamp === 'number' ? Math.trunc(record.timestamp) : stamp.reportedAtMs;
    const active = record.active === false ? 0 : 1;
    this.upsertEdge.run(
      this.ids.vertexOf(tables.from, ends.from),
      kind.kind,
      this.ids.vertexOf(tables.to, ends.to),
      extraEdgeData(record),
      active,
      at,
      at,
      active === 1 ? at : null,
      stampId,
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
  for (const field in record) {
    if (EDGE_COLUMNS.has(field) || !Object.hasOwn(record, field)) continue;
    extra ??= {};
    extra[field] = record[field];
  }
  return extra === undefined ? null : JSON.stringify(extra);
}
