/**
 * The small integers schema v3 keys the graph by: vertex ids (`vid`), edge kinds and write
 * stamps, resolved from their text identities and remembered, so a write asks SQLite only for
 * ids it has not met yet. Ids never change once committed (vertices are soft-deleted only), but
 * one handed out inside a transaction that rolls back is void: the owner calls `forget` then.
 */
import type { Database, Statement } from 'better-sqlite3';

/** Remembered vertex ids before the cache starts over: enough for an asset to stay known while
 * its edges are written, few enough (~10 MB) that the sync's heap does not grow much. */
const MAX_CACHED_VERTICES = 50_000;

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

/** Resolves and caches vertex ids, edge kinds and stamps over one database handle. */
export class GraphIds {
  /** vid by source, then collection, then id: no key string is built per lookup. */
  private readonly vertices = new Map<string, Map<string, Map<string, number>>>();
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

  /** Remembers the id of a vertex just inserted. */
  rememberVertex(source: string, collection: string, id: string, vid: number): void {
    if (this.cachedVertices >= MAX_CACHED_VERTICES) this.forgetVertices();
    let collections = this.vertices.get(source);
    if (collections === undefined) this.vertices.set(source, (collections = new Map()));
    let ids = collections.get(collection);
    if (ids === undefined) collections.set(collection, (ids = new Map()));
    ids.set(id, vid);
    this.cachedVertices += 1;
  }

  /** The remembered id of a vertex, without asking SQLite. */
  cachedVertex(source: string, collection: string, id: string): number | undefined {
    return this.vertices.get(source)?.get(collection)?.get(id);
  }

  /** The id of a stored vertex (or stub), or undefined when there is none. */
  existingVertex(source: string, collection: string, id: string): number | undefined {
    const cached = this.cachedVertex(source, collection, id);
    if (cached !== undefined) return cached;

    const vid = this.findVertex.get(source, collection, id) as number | undefined;
    if (vid !== undefined) this.rememberVertex(source, collection, id, vid);
    return vid;
  }

  /** The vertex id of an edge end, creating a stub vertex when the graph has none yet. */
  vertexOf(source: string, collection: string, id: string): number {
    const vid = this.existingVertex(source, collection, id);
    if (vid !== undefined) return vid;

    const stub = this.insertStub.get(source, collection, id) as number;
    this.rememberVertex(source, collection, id, stub);
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
    this.forgetVertices();
    this.kinds.clear();
    this.stamps.clear();
  }

  private forgetVertices(): void {
    this.vertices.clear();
    this.cachedVertices = 0;
  }
}
