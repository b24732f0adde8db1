/**
 * The import-files target (DESIGN.md §7): writes the same envelopes the CAR target would send,
 * one collection and at most `pageSize` records per file, into `<outDir>/<source>/<reportKey>/`
 * with a manifest, for a dry run, an offline transfer or a diff between runs. Checkpoints,
 * deactivation and the asset lifecycle come from a ledger store kept in the output folder
 * itself, so later runs into the same folder are incremental while nothing outside it (the
 * embedded store, a CAR service) is read or advanced.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GraphBatch } from '../../car/types.ts';
import { ConnectorError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type {
  AssetRiskInput,
  Checkpoint,
  CollectionCounts,
  DeactivationScope,
  FinishRun,
  GraphTarget,
  LifecycleResult,
  LifecycleSettings,
  RunStart,
  StoredRun,
} from '../target.ts';
import type { BatchPart, EnvelopeHeader } from '../car/envelope.ts';
import {
  batchParts,
  envelopeHeader,
  envelopeOf,
  headerEnvelope,
  normalisedBatch,
} from '../car/envelope.ts';
import type { EdgeRef, Ledger } from '../car/ledger.ts';
import { countEdges, deactivateInLedger, lifecycleInLedger } from '../car/ledger.ts';
import { completePartialVertices } from '../car/partial-records.ts';
import { pagesOf } from '../car/paging.ts';
import type { RunManifest } from './manifest.ts';
import { writeManifest } from './manifest.ts';

/** The ledger's file name inside the output folder. */
export const LEDGER_FILE = 'ledger.db';

export interface FilesTargetOptions {
  outDir: string;
  ledger: Ledger;
  logger: Logger;
  /** Records per file, at most 2,000 (one file is one `POST /imports`). */
  pageSize: number;
  sourceName?: string;
}

interface ActiveRun {
  dir: string;
  header: EnvelopeHeader;
  manifest: RunManifest;
}

/** A GraphTarget that writes CAR import envelopes to files. */
export class FilesTarget implements GraphTarget {
  readonly kind = 'files';
  private readonly options: FilesTargetOptions;
  private run: ActiveRun | undefined;

  constructor(options: FilesTargetOptions) {
    this.options = options;
  }

  async getCheckpoint(source: string): Promise<Checkpoint | undefined> {
    return this.options.ledger.getCheckpoint(source);
  }

  async beginRun(start: RunStart): Promise<void> {
    const dir = join(this.options.outDir, start.source, start.reportKey);
    await mkdir(dir, { recursive: true });
    await this.options.ledger.beginRun(start);
    const header = envelopeHeader({ ...start, sourceName: this.options.sourceName });
    this.run = {
      dir,
      header,
      manifest: {
        format: 'mde-car-import-files/1',
        source: start.source,
        runId: start.runId,
        mode: start.mode,
        reportKey: start.reportKey,
        startedAt: start.startedAt.toISOString(),
        fullImport: start.mode === 'full',
        pageSize: this.options.pageSize,
        files: [],
        outcome: 'running',
      },
    };
    // The existing connector opens a full import with a source-and-report-only envelope.
    if (start.mode === 'full') await this.writeFile('import', 'report', headerEnvelope(header), 0);
    else await writeManifest(dir, this.run.manifest);
    this.options.logger.info({ dir }, 'import files run started');
  }

  async write(batch: GraphBatch): Promise<CollectionCounts> {
    const run = this.activeRun('write');
    const whole = completePartialVertices(this.options.ledger, run.manifest.source, batch);
    const parts = batchParts(whole, run.header);
    await this.writeParts(run.header, parts);
    await this.options.ledger.write(normalisedBatch(whole, run.header));

    const counts: CollectionCounts = {};
    for (const part of parts) counts[part.collection] = part.records.length;
    return counts;
  }

  async deactivateUnreported(scope: DeactivationScope): Promise<CollectionCounts> {
    const run = this.activeRun('deactivateUnreported');
    const edges = await deactivateInLedger(this.options.ledger, run.manifest.source, scope);
    await this.writeEdgePatches(run, edges);
    return countEdges(edges);
  }

  async applyLifecycle(input: {
    completeListing: boolean;
    now: Date;
    settings: LifecycleSettings;
  }): Promise<LifecycleResult> {
    const run = this.activeRun('applyLifecycle');
    const { result, assets, edges } = await lifecycleInLedger(
      this.options.ledger,
      run.manifest.source,
      input,
    );
    if (assets.length > 0)
      await this.writeParts(run.header, [{ collection: 'asset', kind: 'vertex', records: assets }]);
    await this.writeEdgePatches(run, edges);
    return result;
  }

  /** Records the outcome in the manifest and the ledger; the ledger's checkpoint advances only when given. */
  async finishRun(finish: FinishRun): Promise<void> {
    const run = this.run;
    if (run === undefined) return;
    this.run = undefined;
    run.manifest.outcome = finish.outcome;
    run.manifest.finishedAt = new Date().toISOString();
    if (finish.checkpoint !== undefined) run.manifest.checkpoint = finish.checkpoint;
    await writeManifest(run.dir, run.manifest);
    await this.options.ledger.finishRun(finish);
    this.options.logger.info(
      { dir: run.dir, files: run.manifest.files.length, outcome: finish.outcome },
      'import files written',
    );
  }

  async riskInputs(source: string, assetIds: string[] | 'all'): Promise<AssetRiskInput[]> {
    return this.options.ledger.riskInputs(source, assetIds);
  }

  async listRuns(source: string, limit: number): Promise<StoredRun[]> {
    return this.options.ledger.listRuns(source, limit);
  }

  async close(): Promise<void> {
    await this.options.ledger.close();
  }

  private activeRun(operation: string): ActiveRun {
    if (this.run === undefined) {
      throw new ConnectorError(
        'SYNC_FAILED',
        `FilesTarget.${operation} was called outside a run; call beginRun first`,
      );
    }
    return this.run;
  }

  private async writeParts(header: EnvelopeHeader, parts: BatchPart[]): Promise<void> {
    for (const part of parts) {
      for (const page of pagesOf(part.records, this.options.pageSize)) {
        await this.writeFile(
          'import',
          part.collection,
          envelopeOf(header, part.collection, page),
          page.length,
        );
      }
    }
  }

  private async writeEdgePatches(run: ActiveRun, edges: EdgeRef[]): Promise<void> {
    const byCollection = new Map<string, { from: string; to: string }[]>();
    for (const edge of edges) {
      const list = byCollection.get(edge.collection) ?? [];
      list.push({ from: edge.from, to: edge.to });
      byCollection.set(edge.collection, list);
    }
    for (const [collection, list] of byCollection) {
      for (const page of pagesOf(list, this.options.pageSize)) {
        const body = {
          source: run.manifest.source,
          collection,
          patch: { active: false },
          edges: page,
        };
        await this.writeFile('edge-patch', collection, body, page.length);
      }
    }
  }

  /** Writes one numbered file and lists it in the manifest, so files sort in sending order. */
  private async writeFile(
    kind: 'import' | 'edge-patch',
    collection: string,
    body: unknown,
    records: number,
  ): Promise<void> {
    const run = this.activeRun('write');
    const sequence = String(run.manifest.files.length + 1).padStart(6, '0');
    const file = `${sequence}-${kind === 'import' ? '' : 'patch-'}${collection}.json`;
    await writeFile(join(run.dir, file), `${JSON.stringify(body, null, 2)}\n`, 'utf8');
    run.manifest.files.push({ file, kind, collection, records });
    await writeManifest(run.dir, run.manifest);
  }
}
