/**
 * The asset lifecycle of DESIGN.md §6 and field fault B23: Active → Inactive (kept, marked)
 * → disabled (edges deactivated), never deleted; a disabled asset reported again comes back.
 *
 * - Reported with `healthStatus` Inactive: marked inactive; the grace in days counts from the
 *   run that first saw it inactive (Defender's `lastSeen` moves only about daily and says
 *   nothing about when the device stopped reporting as active).
 * - Missing from a complete listing: `miss_count` + 1; a reported asset resets it to 0.
 * - Disabled when `miss_count` ≥ missingGraceRuns or inactive for ≥ inactiveGraceDays.
 * - A merged machine (`properties.mergedInto`, B13) is disabled at once: it is a redirect.
 *
 * Stub vertices (`data` NULL: edge ends never imported) are not assets and are left alone.
 */
import type { Database } from 'better-sqlite3';
import type { LifecycleResult, LifecycleSettings } from '../target.ts';
import { assetEdgeDeactivator } from './deactivate.ts';

const DAY_MS = 86_400_000;

interface AssetState {
  id: string;
  lifecycle: 'active' | 'inactive' | 'disabled';
  health: string | null;
  mergedInto: string | null;
  inactive_since: number | null;
  miss_count: number;
}

export interface LifecycleInput {
  source: string;
  runId: string;
  /**
   * Vertex ids of the assets this run wrote, when the store kept them; the assets are then
   * read by id instead of by scanning the source's assets for the run id.
   */
  reported?: ReadonlySet<number>;
  completeListing: boolean;
  now: Date;
  settings: LifecycleSettings;
}

/** Applies the lifecycle to the source's assets in one transaction. */
export function applyLifecycle(db: Database, input: LifecycleInput): LifecycleResult {
  return db.transaction(() => {
    const result: LifecycleResult = {
      markedInactive: 0,
      missed: 0,
      disabled: 0,
      reactivated: 0,
      edgesDeactivated: 0,
    };
    const deactivateAssetEdges = assetEdgeDeactivator(db);
    updateReported(db, input, result, deactivateAssetEdges);
    if (input.completeListing) countMisses(db, input, result);
    disableExpired(db, input, result);
    return result;
  })();
}

type DeactivateAssetEdges = (source: string, assetId: string) => number;

/** Past this many reported assets, one pass over the source's assets beats reading each. */
const READ_ONE_BY_ONE_AT_MOST = 20_000;

/** The `vertices_to_watch` index condition, repeated word for word so SQLite can use it. */
const WATCHED = `(lifecycle <> 'active' OR miss_count > 0)`;

function updateReported(
  db: Database,
  input: LifecycleInput,
  result: LifecycleResult,
  deactivateAssetEdges: DeactivateAssetEdges,
): void {
  // Only assets whose state may change are handled one by one; in a healthy tenant that is few.
  const reported =
    input.reported !== undefined && input.reported.size <= READ_ONE_BY_ONE_AT_MOST
      ? reportedById(db, input.reported)
      : reportedBySource(db, input);
  const setState = db.prepare(
    `UPDATE vertices SET lifecycle = ?, inactive_since = ?, miss_count = 0
     WHERE source = ? AND collection = 'asset' AND id = ?`,
  );

  const nowMs = input.now.getTime();
  for (const asset of reported) {
    const next = nextState(asset, nowMs);
    const unchanged =
      next.lifecycle === asset.lifecycle && next.inactiveSince === asset.inactive_since;
    if (unchanged && next.lifecycle !== 'disabled') continue;
    if (next.lifecycle === 'inactive' && asset.lifecycle === 'active') result.markedInactive += 1;
    if (next.lifecycle !== 'disabled' && asset.lifecycle === 'disabled') result.reactivated += 1;
    if (next.lifecycle === 'active' && asset.lifecycle === 'inactive') result.reactivated += 1;
    if (next.lifecycle === 'disabled' && asset.lifecycle !== 'disabled') result.disabled += 1;
    // This run's write re-activated the edges it reported; a disabled asset keeps none active.
    if (next.lifecycle === 'disabled') {
      result.edgesDeactivated += deactivateAssetEdges(input.source, asset.id);
    }
    setState.run(next.lifecycle, next.inactiveSince, input.source, asset.id);
  }
}

/**
 * The state of the asset rows `where` picks whose lifecycle may move on: not active, reported
 * inactive by Defender, or merged into another machine.
 */
function movableAssets(where: string): string {
  return `SELECT id, lifecycle, inactive_since, miss_count, health, mergedInto FROM (
      SELECT id, lifecycle, inactive_since, miss_count,
        json_extract(data, '$.properties.healthStatus') AS health,
        json_extract(data, '$.properties.mergedInto') AS mergedInto
      FROM vertices WHERE ${where})
    WHERE lifecycle <> 'active' OR health = 'Inactive' OR mergedInto IS NOT NULL`;
}

/** The state of each given asset that may move on; a reported asset's misses are reset. */
function reportedById(db: Database, vids: ReadonlySet<number>): AssetState[] {
  const resetMisses = db.prepare(
    `UPDATE vertices SET miss_count = 0 WHERE vid = ? AND miss_count <> 0`,
  );
  const read = db.prepare(movableAssets(`vid = ? AND deleted = 0 AND data IS NOT NULL`));
  const states: AssetState[] = [];
  for (const vid of vids) {
    resetMisses.run(vid);
    const state = read.get(vid) as AssetState | undefined;
    if (state !== undefined) states.push(state);
  }
  return states;
}

/** The same, finding the run's assets by its id in one pass over the source's assets. */
function reportedBySource(db: Database, input: LifecycleInput): AssetState[] {
  db.prepare(
    `UPDATE vertices SET miss_count = 0
     WHERE source = ? AND collection = 'asset' AND ${WATCHED} AND last_run_id = ?
       AND miss_count <> 0`,
  ).run(input.source, input.runId);
  return db
    .prepare(
      movableAssets(`source = ? AND collection = 'asset' AND last_run_id = ? AND deleted = 0`),
    )
    .all(input.source, input.runId) as AssetState[];
}

function nextState(
  asset: AssetState,
  nowMs: number,
): { lifecycle: AssetState['lifecycle']; inactiveSince: number | null } {
  if (asset.mergedInto !== null) {
    return { lifecycle: 'disabled', inactiveSince: asset.inactive_since };
  }
  // Still inactive in Defender: a disabled asset stays disabled rather than cycling back.
  if (asset.health === 'Inactive' && asset.lifecycle === 'disabled') {
    return { lifecycle: 'disabled', inactiveSince: asset.inactive_since };
  }
  if (asset.health === 'Inactive') {
    return { lifecycle: 'inactive', inactiveSince: asset.inactive_since ?? nowMs };
  }
  return { lifecycle: 'active', inactiveSince: null };
}

function countMisses(db: Database, input: LifecycleInput, result: LifecycleResult): void {
  result.missed = db
    .prepare(
      `UPDATE vertices SET miss_count = miss_count + 1
       WHERE source = ? AND collection = 'asset' AND deleted = 0 AND lifecycle <> 'disabled'
         AND data IS NOT NULL AND (last_run_id IS NULL OR last_run_id <> ?)`,
    )
    .run(input.source, input.runId).changes;
}

function disableExpired(db: Database, input: LifecycleInput, result: LifecycleResult): void {
  const cutoffMs = input.now.getTime() - input.settings.inactiveGraceDays * DAY_MS;
  // Only watched assets can expire (missed at least once, or inactive); each disabled one then
  // has its edges deactivated by vid.
  const disabled = db
    .prepare(
      `UPDATE vertices SET lifecycle = 'disabled'
       WHERE source = ? AND collection = 'asset' AND ${WATCHED} AND lifecycle <> 'disabled'
         AND deleted = 0 AND data IS NOT NULL
         AND (miss_count >= ? OR (lifecycle = 'inactive' AND inactive_since <= ?))
       RETURNING vid`,
    )
    .pluck()
    .all(input.source, Math.max(1, input.settings.missingGraceRuns), cutoffMs) as number[];
  const deactivate = db.prepare(`UPDATE edges SET active = 0 WHERE from_vid = ? AND active = 1`);
  for (const vid of disabled) {
    result.disabled += 1;
    result.edgesDeactivated += deactivate.run(vid).changes;
  }
}
