/** A real embedded store in a fresh temp folder, and the run boilerplate the tests share. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../../src/log.ts';
import { openEmbeddedStore, type EmbeddedStore } from '../../../../src/targets/embedded/index.ts';
import type { GraphBatch } from '../../../../src/car/types.ts';
import type { RunMode } from '../../../../src/targets/target.ts';

export const SOURCE = 'mde-test';

/** Opens stores under one temp folder; `cleanup` closes them all and removes the folder. */
export function tempStores(): {
  dir: string;
  open: (name?: string) => EmbeddedStore;
  cleanup: () => Promise<void>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'mde-car-store-'));
  const opened: EmbeddedStore[] = [];
  return {
    dir,
    open: (name = 'graph.db') => {
      const store = openEmbeddedStore({ path: join(dir, name), logger: silentLogger() });
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Begins a run at `at`, writes the batches, and leaves the run open for the caller. */
export async function beginAndWrite(
  store: EmbeddedStore,
  runId: string,
  at: Date,
  batches: GraphBatch[],
  mode: RunMode = 'full',
): Promise<void> {
  await store.beginRun({
    runId,
    source: SOURCE,
    mode,
    startedAt: at,
    reportKey: String(at.getTime()),
  });
  for (const batch of batches) await store.write(batch);
}
