/**
 * Direct reads and edits of stored vertices and edges: graph comparison in tests, and the CAR
 * emulator's vertex delete and edge patch (car-service.md §1.2, §1.6).
 */
import type { Database } from 'better-sqlite3';
import { edgeEndCollectionsOf } from './graph-ids.ts';
import type { StoredEdge, StoredVertex } from './types.ts';

interface VertexRow {
  source: string;
  collection: string;
  id: string;
  data: string;
  report: string | null;
  first_reported: number;
  last_reported: number;
  deleted: number;
  lifecycle: StoredVertex['lifecycle'];
  miss_count: number;
}

interface EdgeRow {
  source: string;
  collection: string;
  from_id: string;
  to_id: string;
  data: string | null;
  active: number;
  report: string | null;
  first_reported: number;
  last_reported: number;
}

const VERTEX_COLUMNS =
  'source, collection, id, data, report, first_reported, last_reported, deleted, lifecycle, miss_count';
const EDGE_COLUMNS = `f.source, k.collection, f.id AS from_id, t.id AS to_id, e.data, e.active,
  s.report, e.first_reported, e.last_reported`;
/** Edges with their ends and stamp resolved to the text the v2 schema stored. */
const EDGE_JOINS = `edges e
  JOIN edge_kinds k ON k.kind = e.kind
  JOIN vertices f ON f.vid = e.from_vid
  JOIN vertices t ON t.vid = e.to_vid
  LEFT JOIN stamps s ON s.stamp = e.stamp`;

/** Inspection and emulator operations over one database handle. */
export class GraphInspector {
  constructor(private readonly db: Database) {}

  getVertex(collection: string, id: string, source?: string): StoredVertex | undefined {
    const row = this.db
      .prepare(
        `SELECT ${VERTEX_COLUMNS} FROM vertices
         WHERE collection = ? AND id = ? AND (? IS NULL OR source = ?) AND data IS NOT NULL
         ORDER BY source LIMIT 1`,
      )
      .get(collection, id, source ?? null, source ?? null) as VertexRow | undefined;
    return row ? toVertex(row) : undefined;
  }

  listVertices(collection: string, source?: string): StoredVertex[] {
    const rows = this.db
      .prepare(
        `SELECT ${VERTEX_COLUMNS} FROM vertices
         WHERE collection = ? AND (? IS NULL OR source = ?) AND data IS NOT NULL
         ORDER BY source, id`,
      )
      .all(collection, source ?? null, source ?? null) as VertexRow[];
    return rows.map(toVertex);
  }

  listEdges(collection: string, source?: string): StoredEdge[] {
    const rows = this.db
      .prepare(
        `SELECT ${EDGE_COLUMNS} FROM ${EDGE_JOINS}
         WHERE k.collection = ? AND (? IS NULL OR f.source = ?) ORDER BY f.source, from_id, to_id`,
      )
      .all(collection, source ?? null, source ?? null) as EdgeRow[];
    return rows.map(toEdge);
  }

  patchEdges(
    collection: string,
    source: string,
    from: string,
    to: string,
    patch: { active?: boolean },
  ): number {
    if (patch.active === undefined) return 0;
    const [fromCollection, toCollection] = edgeEndCollectionsOf(collection);
    return this.db
      .prepare(
        `UPDATE edges SET active = ?
         WHERE from_vid = (SELECT vid FROM vertices WHERE source = ? AND collection = ? AND id = ?)
           AND kind = (SELECT kind FROM edge_kinds WHERE collection = ?)
           AND to_vid = (SELECT vid FROM vertices WHERE source = ? AND collection = ? AND id = ?)`,
      )
      .run(
        patch.active ? 1 : 0,
        source,
        fromCollection,
        plainId(from),
        collection,
        source,
        toCollection,
        plainId(to),
      ).changes;
  }

  /** Soft-deletes vertices and deactivates every edge that touches them, in one transaction. */
  deleteVertices(
    source: string,
    collection: string,
    ids: string[],
    _by: 'external_id' | 'key',
  ): number {
    const remove = this.db
      .prepare(
        `UPDATE vertices SET deleted = 1
         WHERE source = ? AND collection = ? AND id = ? AND deleted = 0 AND data IS NOT NULL
         RETURNING vid`,
      )
      .pluck();
    // Every edge touching the vertex has it as its from or its to end.
    const edgesFrom = this.db.prepare(
      `UPDATE edges SET active = 0 WHERE from_vid = ? AND active = 1`,
    );
    const edgesTo = this.db.prepare(`UPDATE edges SET active = 0 WHERE to_vid = ? AND active = 1`);
    return this.db.transaction(() => {
      let deleted = 0;
      for (const id of ids) {
        const vid = remove.get(source, collection, id) as number | undefined;
        if (vid === undefined) continue;
        deleted += 1;
        edgesFrom.run(vid);
        edgesTo.run(vid);
      }
      return deleted;
    })();
  }
}

/** `ipaddress/10.0.0.1` → `10.0.0.1`; a plain id is returned as is. */
function plainId(value: string): string {
  const match =
    /^(asset|hostname|ipaddress|macaddress|user|account|application|vulnerability)\/(.*)$/.exec(
      value,
    );
  return match ? match[2]! : value;
}

function toVertex(row: VertexRow): StoredVertex {
  return {
    source: row.source,
    collection: row.collection,
    id: row.id,
    record: JSON.parse(row.data) as Record<string, unknown>,
    report: row.report,
    firstReportedMs: row.first_reported,
    lastReportedMs: row.last_reported,
    deleted: row.deleted === 1,
    lifecycle: row.lifecycle,
    missCount: row.miss_count,
  };
}

function toEdge(row: EdgeRow): StoredEdge {
  return {
    source: row.source,
    collection: row.collection,
    from: row.from_id,
    to: row.to_id,
    active: row.active === 1,
    report: row.report,
    firstReportedMs: row.first_reported,
    lastReportedMs: row.last_reported,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
  };
}
