/**
 * The ledger of the CAR and files targets: a local embedded store to which every write the
 * destination confirmed is applied too. CAR's REST API cannot list what a source reported, so
 * the ledger answers "which edges did this run not report" and "which assets changed their
 * lifecycle state"; the target then sends the matching edge PATCHes and asset updates.
 */
import type { EdgeCollection, VertexRecord } from '../../car/types.ts';
import { EDGE_COLLECTIONS } from '../../car/types.ts';
import type { EmbeddedStore } from '../embedded/index.ts';
import type { DeactivationScope, LifecycleResult, LifecycleSettings } from '../target.ts';

/** What the targets use of the embedded store. */
export type Ledger = Pick<
  EmbeddedStore,
  | 'getCheckpoint'
  | 'beginRun'
  | 'write'
  | 'deactivateUnreported'
  | 'applyLifecycle'
  | 'finishRun'
  | 'riskInputs'
  | 'listRuns'
  | 'close'
  | 'listEdges'
  | 'listVertices'
  | 'getVertex'
  | 'patchEdges'
>;

/** An edge as CAR's `PATCH /{edge_collection}?source=&from=&to=` addresses it (plain ids). */
export interface EdgeRef {
  collection: EdgeCollection;
  from: string;
  to: string;
}

function edgeId(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** The active edges of the source per collection, as `from\0to` ids. */
function activeEdgeIds(
  ledger: Ledger,
  source: string,
  collections: readonly EdgeCollection[],
): Map<EdgeCollection, Set<string>> {
  const index = new Map<EdgeCollection, Set<string>>();
  for (const collection of collections) {
    const ids = new Set<string>();
    for (const edge of ledger.listEdges(collection, source)) {
      if (edge.active) ids.add(edgeId(edge.from, edge.to));
    }
    index.set(collection, ids);
  }
  return index;
}

/** Edges active in `before` that the ledger now holds as inactive. */
function edgesDeactivatedSince(
  ledger: Ledger,
  source: string,
  before: Map<EdgeCollection, Set<string>>,
): EdgeRef[] {
  const changed: EdgeRef[] = [];
  for (const [collection, wasActive] of before) {
    if (wasActive.size === 0) continue;
    for (const edge of ledger.listEdges(collection, source)) {
      if (!edge.active && wasActive.has(edgeId(edge.from, edge.to))) {
        changed.push({ collection, from: edge.from, to: edge.to });
      }
    }
  }
  return changed;
}

/** Lifecycle state of the source's assets by external id. */
function lifecycleStates(ledger: Ledger, source: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const asset of ledger.listVertices('asset', source)) states.set(asset.id, asset.lifecycle);
  return states;
}

/**
 * Asset records whose lifecycle state differs from `before`, with the new state written to
 * `properties.lifecycle` (`active`, `inactive` or `disabled`): CAR has no disabled flag of its
 * own, and a soft delete would hide the asset, which DESIGN.md §6 forbids.
 */
function assetsChangedSince(
  ledger: Ledger,
  source: string,
  before: Map<string, string>,
): VertexRecord[] {
  const changed: VertexRecord[] = [];
  for (const asset of ledger.listVertices('asset', source)) {
    if (asset.deleted || before.get(asset.id) === asset.lifecycle) continue;
    const record = asset.record as VertexRecord;
    const properties = { ...(record.properties ?? {}), lifecycle: asset.lifecycle };
    changed.push({ ...record, properties });
  }
  return changed;
}

// Limitation: deactivation and the lifecycle are diffed by listing the source's edges before
// and after the ledger applies them, which reads every edge of the source twice per run; the
// store returns only counts from these operations.

/** Runs deactivation on the ledger and returns the edges it turned inactive. */
export async function deactivateInLedger(
  ledger: Ledger,
  source: string,
  scope: DeactivationScope,
): Promise<EdgeRef[]> {
  const collections = scope.kind === 'full' ? EDGE_COLLECTIONS : scope.collections;
  const before = activeEdgeIds(ledger, source, collections);
  await ledger.deactivateUnreported(scope);
  return edgesDeactivatedSince(ledger, source, before);
}

/** Runs the lifecycle on the ledger and returns what it changed: asset records and edges. */
export async function lifecycleInLedger(
  ledger: Ledger,
  source: string,
  input: { completeListing: boolean; now: Date; settings: LifecycleSettings },
): Promise<{ result: LifecycleResult; assets: VertexRecord[]; edges: EdgeRef[] }> {
  const statesBefore = lifecycleStates(ledger, source);
  const edgesBefore = activeEdgeIds(ledger, source, EDGE_COLLECTIONS);
  const result = await ledger.applyLifecycle(input);
  const assets = assetsChangedSince(ledger, source, statesBefore);
  const edges = edgesDeactivatedSince(ledger, source, edgesBefore);
  return { result, assets, edges };
}

/** Edges per collection, for counts. */
export function countEdges(edges: readonly EdgeRef[]): Partial<Record<EdgeCollection, number>> {
  const counts: Partial<Record<EdgeCollection, number>> = {};
  for (const edge of edges) counts[edge.collection] = (counts[edge.collection] ?? 0) + 1;
  return counts;
}
