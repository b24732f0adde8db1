/**
 * Shared pieces of the CAR target tests: a configuration pointing at an emulator, fast retry
 * and polling knobs, the fixture batches, a run driven the way the sync drives a target, and
 * a comparable dump of a store's graph.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDGE_COLLECTIONS, VERTEX_COLLECTIONS, type GraphBatch } from '../../../src/car/types.ts';
import type { AppConfig } from '../../../src/config/types.ts';
import type { CarTargetOverrides } from '../../../src/targets/car/open.ts';
import type {
  Checkpoint,
  GraphTarget,
  LifecycleSettings,
  RunMode,
} from '../../../src/targets/target.ts';

export const SOURCE = 'mde-test.contoso';

/** Retries and polls in milliseconds, so failure paths finish quickly. */
export const FAST: CarTargetOverrides = {
  http: { maxAttempts: 2, retryBaseMs: 10, retryMaxWaitMs: 200, connectTimeoutMs: 1_000 },
  poll: { initialMs: 5, maxMs: 40, deadlineMs: 5_000 },
};

export function carConfig(input: {
  url: string;
  dbPath: string;
  key?: string;
  password?: string;
  token?: string;
  pageSize?: number;
  timeoutMs?: number;
}): AppConfig {
  const car = {
    url: input.url,
    pageSize: input.pageSize ?? 2_000,
    timeoutMs: input.timeoutMs ?? 5_000,
    ...(input.token === undefined
      ? { key: input.key ?? 'connector', password: input.password ?? 'car-test-password' }
      : { token: input.token, urlForToken: input.url }),
  };
  const config = {
    connection: { name: SOURCE, description: 'Contoso test tenant', configurations: [] },
    target: { kind: 'car', dbPath: input.dbPath, car },
  };
  // Only the connection and target parts are read by the targets under test.
  return config as unknown as AppConfig;
}

export function loadBatch(name: string): GraphBatch {
  const path = join(import.meta.dirname, 'fixtures', `${name}.json`);
  return JSON.parse(readFileSync(path, 'utf8')) as GraphBatch;
}

export interface RunInput {
  runNumber: number;
  mode?: RunMode;
  batches: GraphBatch[];
  /** Apply the asset lifecycle after a complete listing with these settings. */
  lifecycle?: LifecycleSettings;
}

/** The checkpoint a run with this number writes. */
export function checkpointOf(runNumber: number): Checkpoint {
  return {
    source: SOURCE,
    runId: `run-${runNumber}`,
    updatedAt: new Date(Date.UTC(2024, 4, runNumber)).toISOString(),
    machinesLastSeen: `2024-05-0${runNumber}T00:00:00.1234567Z`,
  };
}

/**
 * Drives a target as the sync does: begin, write each batch, deactivate what a full run did not
 * report, finish with the checkpoint; on a failure, finish as failed without one and rethrow.
 */
export async function runOnce(target: GraphTarget, input: RunInput): Promise<void> {
  const mode = input.mode ?? 'full';
  const reportKey = String(1_714_000_000_000 + input.runNumber * 1_000);
  await target.beginRun({
    runId: `run-${input.runNumber}`,
    source: SOURCE,
    mode,
    startedAt: new Date(Number(reportKey)),
    reportKey,
  });
  try {
    for (const batch of input.batches) await target.write(batch);
    if (mode === 'full') await target.deactivateUnreported({ kind: 'full' });
    if (input.lifecycle !== undefined) {
      const now = new Date(Number(reportKey));
      await target.applyLifecycle({
        completeListing: mode === 'full',
        now,
        settings: input.lifecycle,
      });
    }
  } catch (err) {
    await target.finishRun({ outcome: 'failed', summary: { reason: String(err) } });
    throw err;
  }
  await target.finishRun({ outcome: 'ok', checkpoint: checkpointOf(input.runNumber), summary: {} });
}

interface GraphReader {
  listVertices(
    collection: string,
    source?: string,
  ): { id: string; record: unknown; deleted: boolean }[];
  listEdges(
    collection: string,
    source?: string,
  ): { from: string; to: string; active: boolean; report: string | null; data: unknown }[];
}

/** Every collection of the source as plain, comparable values. */
export function graphOf(store: GraphReader, source = SOURCE): Record<string, unknown[]> {
  const graph: Record<string, unknown[]> = {};
  for (const collection of VERTEX_COLLECTIONS) {
    graph[collection] = store
      .listVertices(collection, source)
      .map(({ id, record, deleted }) => ({ id, record, deleted }));
  }
  for (const collection of EDGE_COLLECTIONS) {
    graph[collection] = store
      .listEdges(collection, source)
      .map(({ from, to, active, report, data }) => ({ from, to, active, report, data }));
  }
  return graph;
}
