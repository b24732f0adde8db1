/**
 * Edge deactivation (DESIGN.md §6): edges a run did not report become inactive, never deleted,
 * so search can still show past holders. `full` covers every edge of the source; `assets` only
 * the given collections leaving the given assets (an incremental run's changed machines).
 */
import type { Database } from 'better-sqlite3';
import type { EdgeCollection } from '../../car/types.ts';
import type { CollectionCounts, DeactivationScope } from '../target.ts';

/** Unreported edges listed and updated one by one; past this, in two passes over the table. */
const LISTED_AT_MOST = 100_000;

/** Edges whose stamp is not one of the run's (or that have no stamp at all). */
const NOT_THIS_RUN = `(stamp IS NULL OR stamp NOT IN (SELECT stamp FROM stamps WHERE run_id = ?))`;

/** Deactivates unreported edges of `source` within `scope`, in one transaction. */
export function deactivateUnreported(
  db: Database,
  source: string,
  runId: string,
  scope: DeactivationScope,
): CollectionCounts {
  return db.transaction(() =>
    scope.kind === 'full'
      ? deactivateAllUnreported(db, source, runId)
      : deactivateLeavingAssets(db, source, runId, scope.assetIds, scope.collections),
  )();
}

/** Every active edge of the source whose last reporting run is not `runId`. */
export function deactivateAllUnreported(
  db: Database,
  source: string,
  runId: string,
  listedAtMost = LISTED_AT_MOST,
): CollectionCounts {
  // The source of an edge is its from vertex's. When the store holds that source alone (the
  // usual case) every edge is the source's and SQLite walks the edge table once; otherwise the
  // source's vertices are walked and their edges looked up.
  const scope = onlySource(db, source)
    ? ''
    : 'AND from_vid IN (SELECT vid FROM vertices WHERE source = ?)';
  const where = `WHERE active = 1 AND ${NOT_THIS_RUN} ${scope}`;
  const params = scope === '' ? [runId] : [runId, source];
  // A run usually leaves few edges unreported: they are listed in one pass over the edge table
  // and updated by key. Past LISTED_AT_MOST (a first import of a much changed tenant can
  // deactivate a million edges) they are counted and updated in two passes, which costs less
  // than a row object per edge.
  const listed = db.prepare(`SELECT kind, from_vid, to_vid FROM edges ${where}`).raw();
  const keys: [number, number, number][] = [];
  let tooMany = false;
  for (const row of listed.iterate(...params) as IterableIterator<[number, number, number]>) {
    // Leaving the loop closes the listing; the connection is free again after it.
    if (keys.length === listedAtMost) {
      tooMany = true;
      break;
    }
    keys.push(row);
  }
  if (tooMany) return deactivateInBulk(db, where, params);
  const update = db.prepare(
    `UPDATE edges SET active = 0 WHERE from_vid = ? AND kind = ? AND to_vid = ?`,
  );
  const byKind = new Map<number, number>();
  for (const [kind, from, to] of keys) {
    update.run(from, kind, to);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  return countByKind(
    db,
    [...byKind].map(([kind, n]) => ({ kind, n })),
  );
}

function deactivateInBulk(db: Database, where: string, params: string[]): CollectionCounts {
  const rows = db
    .prepare(`SELECT kind, count(*) AS n FROM edges ${where} GROUP BY kind`)
    .all(...params) as KindCount[];
  db.prepare(`UPDATE edges SET active = 0 ${where}`).run(...params);
  return countByKind(db, rows);
}

function deactivateLeavingAssets(
  db: Database,
  source: string,
  runId: string,
  assetIds: string[],
  collections: EdgeCollection[],
): CollectionCounts {
  const update = db.prepare(
    `UPDATE edges SET active = 0
     WHERE from_vid = (SELECT vid FROM vertices WHERE source = ? AND collection = 'asset' AND id = ?)
       AND kind = (SELECT kind FROM edge_kinds WHERE collection = ?)
       AND active = 1 AND ${NOT_THIS_RUN}`,
  );
  const counts: CollectionCounts = {};
  for (const collection of collections) {
    let changed = 0;
    for (const assetId of assetIds)
      changed += update.run(source, assetId, collection, runId).changes;
    if (changed > 0) counts[collection] = changed;
  }
  return counts;
}

/** A function deactivating every active edge leaving an asset (used when one is disabled). */
export function assetEdgeDeactivator(db: Database): (source: string, assetId: string) => number {
  // Every edge leaving an asset vertex is an asset_* edge.
  const update = db.prepare(
    `UPDATE edges SET active = 0
     WHERE from_vid = (SELECT vid FROM vertices WHERE source = ? AND collection = 'asset' AND id = ?)
       AND active = 1`,
  );
  return (source, assetId) => update.run(source, assetId).changes;
}

/** Whether every vertex of the store belongs to `source` (two index probes). */
function onlySource(db: Database, source: string): boolean {
  const first = db.prepare(`SELECT source FROM vertices ORDER BY source LIMIT 1`).pluck().get();
  const last = db.prepare(`SELECT source FROM vertices ORDER BY source DESC LIMIT 1`).pluck().get();
  return first === source && last === source;
}

function countByKind(db: Database, rows: KindCount[]): CollectionCounts {
  const names = new Map(
    (db.prepare(`SELECT kind, collection FROM edge_kinds`).all() as KindRow[]).map((row) => [
      row.kind,
      row.collection as EdgeCollection,
    ]),
  );
  const counts: CollectionCounts = {};
  for (const { kind, n } of rows) {
    const collection = names.get(kind);
    if (collection !== undefined && n > 0) counts[collection] = n;
  }
  return counts;
}

interface KindRow {
  kind: number;
  collection: string;
}

interface KindCount {
  kind: number;
  n: number;
}
