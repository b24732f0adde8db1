/**
 * The small integers schema v3 keys the graph by: vertex ids (`vid`), edge kinds and write
 * stamps, resolved from their text identities and remembered, so a write asks SQLite only for
 * ids it has not met yet. Ids never change once committed (vertices are soft-deleted only), but
 * one handed out inside a transaction that rolls back is void: the owner calls `forget` then.
 */
import type { Database, Statement } from 'better-sqlite3';

/**
 * Vertex ids remembered per generation. A batch of 10,000 machines writes about 90,000 vertices
 * and then their edges, so the ids of one batch must outlive its own writing: the cache keeps
 * the current generation and the one before it (at most twice this, ~30 MB), and a lookup that
 * hits the older generation brings the id forward.
 */
const GENERATION_SIZE = 120_000;

/** The two vertex collections an edge collection joins (`asset_ipaddress` → asset, ipaddress). */
export function edgeEndCollectionsOf(collection: string): [string, string] {
  const underscore = collection.indexOf('_');
  if (underscore === -1) return [collection, collection];
  return [collection.slice(0, underscore), collection.slice(underscore + 1)];
}

/** An edge kind: its number and the vertex collections at its ends. */
export interface EdgeKind {
  kind: number;
  from: string;
  to: string;
}

/**
 * Remembered ids of one source's vertices of one collection. A writer fetches the table once
 * per collection of a batch, so each record costs one or two map lookups by its id.
 */
export class VidTable {
  current = new Map<string, number>();
  /** The generation before `current`, consulted on a miss. */
  older = new Map<string, number>();

  constructor(
    readonly source: string,
    readonly collection: string,
  ) {}
}

/** Resolves and caches vertex ids, edge kinds and stamps over one database handle. */
export class GraphIds {
  private readonly tables = new Map<string, VidTable>();
  /** Ids remembered in the current generation, over all tables. */
  private cachedVertices = 0;
  private readonly kinds = new Map<string, EdgeKind>();
  private readonly stamps = new Map<string, number>();
  private readonly findVertex: Statement;
  private readonly insertStub: Statement;
  private readonly findKind: Statement;
  private readonly insertKind: Statement;
  private readonly findStamp: Statement;
  private readonly insertStamp: Statement;

  constructor(db: Database) {
    this.findVertex = db
      .prepare(`SELECT vid FROM vertices WHERE source = ? AND collection = ? AND id = ?`)
      .pluck();
    this.insertStub = db
      .prepare(
        `INSERT INTO vertices (source, collection, id, first_reported, last_reported)
         VALUES (?, ?, ?, 0, 0) RETURNING vid`,
      )
      .pluck();
    this.findKind = db.prepare(`SELECT kind FROM edge_kinds WHERE collection = ?`).pluck();
    this.insertKind = db
      .prepare(
        `INSERT INTO edge_kinds (collection, from_collection, to_collection) VALUES (?, ?, ?)
         RETURNING kind`,
      )
      .pluck();
    this.findStamp = db.prepare(`SELECT stamp FROM stamps WHERE run_id = ? AND report = ?`).pluck();
    this.insertStamp = db
      .prepare(`INSERT INTO stamps (run_id, report) VALUES (?, ?) RETURNING stamp`)
      .pluck();
  }

  /** The remembered ids of a source's collection. */
  table(source: string, collection: string): VidTable {
    const key = `${source}\u0000${collection}`;
    let table = this.tables.get(key);
    if (table === undefined) this.tables.set(key, (table = new VidTable(source, collection)));
    return table;
  }

  /** Remembers the id of a vertex just inserted or looked up. */
  rememberVertex(table: VidTable, id: string, vid: number): void {
    if (this.cachedVertices >= GENERATION_SIZE) this.startGeneration();
    table.current.set(id, vid);
    this.cachedVertices += 1;
  }

  /** The remembered id of a vertex, without asking SQLite. */
  cachedVertex(table: VidTable, id: string): number | undefined {
    const vid = table.current.get(id);
    if (vid !== undefined) return vid;
    const old = table.older.get(id);
    if (old !== undefined) this.rememberVertex(table, id, old);
    return old;
  }

  /** The id of a stored vertex (or stub), or undefined when there is none. */
  existingVertex(table: VidTable, id: string): number | undefined {
    const cached = this.cachedVertex(table, id);
    if (cached !== undefined) return cached;

    const vid = this.findVertex.get(table.source, table.collection, id) as number | undefined;
    if (vid !== undefined) this.rememberVertex(table, id, vid);
    return vid;
  }

  /** The vertex id of an edge end, creating a stub vertex when the graph has none yet. */
  vertexOf(table: VidTable, id: string): number {
    const vid = this.existingVertex(table, id);
    if (vid !== undefined) return vid;

    const stub = this.insertStub.get(table.source, table.collection, id) as number;
    this.rememberVertex(table, id, stub);
    return stub;
  }

  /** The kind of an edge collection, numbering a collection met for the first time. */
  kindOf(collection: string): EdgeKind {
    const cached = this.kinds.get(collection);
    if (cached !== undefined) return cached;

    const [from, to] = edgeEndCollectionsOf(collection);
    const kind = (this.findKind.get(collection) ??
      this.insertKind.get(collection, from, to)) as number;
    const resolved = { kind, from, to };
    this.kinds.set(collection, resolved);
    return resolved;
  }

  /** The stamp of a (run, report) pair. */
  stampOf(runId: string, reportKey: string): number {
    const key = `${runId}\u0000${reportKey}`;
    const cached = this.stamps.get(key);
    if (cached !== undefined) return cached;

    const stamp = (this.findStamp.get(runId, reportKey) ??
      this.insertStamp.get(runId, reportKey)) as number;
    this.stamps.set(key, stamp);
    return stamp;
  }

  /** Drops every remembered id (after a rollback, whose new ids no longer exist). */
  forget(): void {
    this.tables.clear();
    this.cachedVertices = 0;
    this.kinds.clear();
    this.stamps.clear();
  }

  private startGeneration(): void {
    for (const table of this.tables.values()) {
      table.older = table.current;
      table.current = new Map();
    }
    this.cachedVertices = 0;
  }
}
