/**
 * Edge deactivation (DESIGN.md §6): edges a run did not report become inactive, never deleted,
 * so search can still show past holders. `full` covers every edge of the source; `assets` only
 * the given collections leaving the given assets (an incremental run's changed machines).
 */
import type { Database } from 'better-sqlite3';
import { EDGE_COLLECTIONS, type EdgeCollection } from '../../car/types.ts';
import type { CollectionCounts, DeactivationScope } from '../target.ts';

/** Edge collections that leave an asset. */
const ASSET_EDGE_COLLECTIONS = EDGE_COLLECTIONS.filter((name) => name.startsWith('asset_'));

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
): CollectionCounts {
  const rows = db
    .prepare(
      `UPDATE edges SET active = 0
       WHERE source = ? AND active = 1 AND (last_run_id IS NULL OR last_run_id <> ?)
       RETURNING collection`,
    )
    .all(source, runId) as { collection: EdgeCollection }[];
  return countByCollection(rows);
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
     WHERE source = ? AND collection = ? AND from_id = ? AND active = 1
       AND (last_run_id IS NULL OR last_run_id <> ?)`,
  );
  const counts: CollectionCounts = {};
  for (const collection of collections) {
    let changed = 0;
    for (const assetId of assetIds)
      changed += update.run(source, collection, assetId, runId).changes;
    if (changed > 0) counts[collection] = changed;
  }
  return counts;
}

/** Deactivates every active edge leaving the asset (used when an asset is disabled). */
export function deactivateAssetEdges(db: Database, source: string, assetId: string): number {
  const placeholders = ASSET_EDGE_COLLECTIONS.map(() => '?').join(', ');
  return db
    .prepare(
      `UPDATE edges SET active = 0
       WHERE source = ? AND collection IN (${placeholders}) AND from_id = ? AND active = 1`,
    )
    .run(source, ...ASSET_EDGE_COLLECTIONS, assetId).changes;
}

function countByCollection(rows: { collection: EdgeCollection }[]): CollectionCounts {
  const counts: CollectionCounts = {};
  for (const { collection } of rows) counts[collection] = (counts[collection] ?? 0) + 1;
  return counts;
}
