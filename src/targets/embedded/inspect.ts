/**
 * Direct reads and edits of stored vertices and edges: graph comparison in tests, and the CAR
 * emulator's vertex delete and edge patch (car-service.md §1.2, §1.6).
 */
import type { Database } from 'better-sqlite3';
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
const EDGE_COLUMNS =
  'source, collection, from_id, to_id, data, active, report, first_reported, last_reported';

/** Inspection and emulator operations over one database handle. */
export class GraphInspector {
  constructor(private readonly db: Database) {}

  getVertex(collection: string, id: string, source?: string): StoredVertex | undefined {
    const row = this.db
      .prepare(
        `SELECT ${VERTEX_COLUMNS} FROM vertices
         WHERE collection = ? AND id = ? AND (? IS NULL OR source = ?) ORDER BY source LIMIT 1`,
      )
      .get(collection, id, source ?? null, source ?? null) as VertexRow | undefined;
    return row ? toVertex(row) : undefined;
  }

  listVertices(collection: string, source?: string): StoredVertex[] {
    const rows = this.db
      .prepare(
        `SELECT ${VERTEX_COLUMNS} FROM vertices
         WHERE collection = ? AND (? IS NULL OR source = ?) ORDER BY source, id`,
      )
      .all(collection, source ?? null, source ?? null) as VertexRow[];
    return rows.map(toVertex);
  }

  listEdges(collection: string, source?: string): StoredEdge[] {
    const rows = this.db
      .prepare(
        `SELECT ${EDGE_COLUMNS} FROM edges
         WHERE collection = ? AND (? IS NULL OR source = ?) ORDER BY source, from_id, to_id`,
      )
      .all(collection, source ?? null, source ?? null) as EdgeRow[];
    return rows.map(toEdge);
  }

  /** External ids of the source's assets that are not disabled or deleted. */
  liveAssetIds(source: string): string[] {
    const rows = this.db
      .prepare(
        `SELECT id FROM vertices WHERE source = ? AND collection = 'asset'
           AND deleted = 0 AND lifecycle <> 'disabled' ORDER BY id`,
      )
      .all(source) as { id: string }[];
    return rows.map((row) => row.id);
  }

  patchEdges(
    collection: string,
    source: string,
    from: string,
    to: string,
    patch: { active?: boolean },
  ): number {
    if (patch.active === undefined) return 0;
    return this.db
      .prepare(
        `UPDATE edges SET active = ? WHERE source = ? AND collection = ? AND from_id = ? AND to_id = ?`,
      )
      .run(patch.active ? 1 : 0, source, collection, plainId(from), plainId(to)).changes;
  }

  /** Soft-deletes vertices and deactivates every edge that touches them, in one transaction. */
  deleteVertices(
    source: string,
    collection: string,
    ids: string[],
    _by: 'external_id' | 'key',
  ): number {
    const remove = this.db.prepare(
      `UPDATE vertices SET deleted = 1 WHERE source = ? AND collection = ? AND id = ? AND deleted = 0`,
    );
    const edgesFrom = this.db.prepare(
      `UPDATE edges SET active = 0 WHERE source = ? AND collection LIKE ? ESCAPE '\\' AND from_id = ? AND active = 1`,
    );
    const edgesTo = this.db.prepare(
      `UPDATE edges SET active = 0 WHERE source = ? AND collection LIKE ? ESCAPE '\\' AND to_id = ? AND active = 1`,
    );
    return this.db.transaction(() => {
      let deleted = 0;
      for (const id of ids) {
        const changes = remove.run(source, collection, id).changes;
        if (changes === 0) continue;
        deleted += changes;
        edgesFrom.run(source, `${collection}\\_%`, id);
        edgesTo.run(source, `%\\_${collection}`, id);
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
