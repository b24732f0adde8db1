/**
 * The manifest of one run written by the import-files target: what each file holds, in the
 * order a CAR client must send them, plus the run's outcome and checkpoint. It is rewritten
 * after every file, so a run cut short still leaves a manifest that lists what was written.
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpoint, RunMode, RunOutcome } from '../target.ts';

export const MANIFEST_FILE = 'manifest.json';

/** One file of the run. */
export interface ManifestEntry {
  file: string;
  /**
   * `import`: an envelope for `POST /imports`. `edge-patch`: edges for
   * `PATCH /{collection}?source=&from=&to=` with the given patch, one call per edge.
   */
  kind: 'import' | 'edge-patch';
  collection: string;
  records: number;
}

export interface RunManifest {
  format: 'mde-car-import-files/1';
  source: string;
  runId: string;
  mode: RunMode;
  reportKey: string;
  startedAt: string;
  /** True for a full import: replay between opening and closing the full-import session. */
  fullImport: boolean;
  pageSize: number;
  files: ManifestEntry[];
  outcome: RunOutcome | 'running';
  finishedAt?: string;
  checkpoint?: Checkpoint;
}

/** Writes the manifest atomically (temporary file, then rename). */
export async function writeManifest(dir: string, manifest: RunManifest): Promise<void> {
  const path = join(dir, MANIFEST_FILE);
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  await rename(temporary, path);
}
