/**
 * The CAR service target (DESIGN.md §7): writes the graph with CAR's REST API in the order the
 * existing connector uses (car-service.md §3.4), but closes the full-import session on every
 * outcome, treats unknown import statuses as failures, and keeps the checkpoint (CAR's
 * `model_state_id`) where it was unless the run says otherwise. A local ledger store mirrors
 * every confirmed write so deactivation and the asset lifecycle can be decided locally.
 */
import type { GraphBatch } from '../../car/types.ts';
import { CarImportError } from '../../errors.ts';
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
import type { CarApi } from './car-api.ts';
import type { BatchPart, EnvelopeHeader } from './envelope.ts';
import {
  batchParts,
  envelopeHeader,
  envelopeOf,
  headerEnvelope,
  normalisedBatch,
} from './envelope.ts';
import type { PendingImport } from './import-status.ts';
import type { EdgeRef, Ledger } from './ledger.ts';
import { countEdges, deactivateInLedger, lifecycleInLedger } from './ledger.ts';
import { parseCheckpoint } from './model-state.ts';
import { completePartialVertices } from './partial-records.ts';
import { pagesOf } from './paging.ts';
import { ensureDatabaseReady } from './readiness.ts';

/** Imports CAR may process at once before the target waits for them (the framework's 20). */
const MAX_IMPORTS_IN_FLIGHT = 20;

export interface CarTargetOptions {
  api: CarApi;
  ledger: Ledger;
  logger: Logger;
  /** Records per `POST /imports`, at most 2,000. */
  pageSize: number;
  /** Source `name` shown in CAR; defaults to the source key. */
  sourceName?: string;
}

interface ActiveRun {
  start: RunStart;
  header: EnvelopeHeader;
  isSessionOpen: boolean;
}

/** A GraphTarget that writes to a CAR service. */
export class CarServiceTarget implements GraphTarget {
  readonly kind = 'car';
  private readonly api: CarApi;
  private readonly ledger: Ledger;
  private readonly logger: Logger;
  private readonly pageSize: number;
  private readonly sourceName: string | undefined;
  private run: ActiveRun | undefined;

  constructor(options: CarTargetOptions) {
    this.api = options.api;
    this.ledger = options.ledger;
    this.logger = options.logger;
    this.pageSize = options.pageSize;
    this.sourceName = options.sourceName;
  }

  /** The checkpoint stored as CAR's `model_state_id`; a value another connector wrote reads as none. */
  async getCheckpoint(source: string): Promise<Checkpoint | undefined> {
    const stored = await this.api.getModelState(source);
    if (stored === undefined) return undefined;
    const checkpoint = parseCheckpoint(stored, source);
    if (checkpoint === undefined) {
      this.logger.info(
        { source },
        'car model state is not a checkpoint of ours; a full import follows',
      );
    }
    return checkpoint;
  }

  async beginRun(start: RunStart): Promise<void> {
    await ensureDatabaseReady(this.api, this.logger);
    await this.ledger.beginRun(start);
    const header = envelopeHeader({ ...start, sourceName: this.sourceName });
    this.run = { start, header, isSessionOpen: false };
    if (start.mode !== 'full') return;

    try {
      // Marked open before the call: a POST that reached CAR but failed later still needs a DELETE.
      this.run.isSessionOpen = true;
      await this.api.openFullImport(start.source);
      const pending = await this.api.postImport(headerEnvelope(header), 'report', 0);
      await this.api.waitForImports([pending]);
    } catch (err) {
      await this.finishRun({ outcome: 'failed', summary: { reason: 'beginRun failed' } });
      throw err;
    }
  }

  /**
   * Sends a batch one collection per `POST /imports`, in pages of at most `pageSize` records,
   * vertices before edges; resolves after CAR confirmed every import and the ledger holds it.
   */
  async write(batch: GraphBatch): Promise<CollectionCounts> {
    const run = this.activeRun('write');
    const whole = completePartialVertices(this.ledger, run.start.source, batch);
    const parts = batchParts(whole, run.header);
    await this.sendParts(
      run.header,
      parts.filter((part) => part.kind === 'vertex'),
    );
    await this.sendParts(
      run.header,
      parts.filter((part) => part.kind === 'edge'),
    );
    await this.ledger.write(normalisedBatch(whole, run.header));

    const counts: CollectionCounts = {};
    for (const part of parts) counts[part.collection] = part.records.length;
    return counts;
  }

  async deactivateUnreported(scope: DeactivationScope): Promise<CollectionCounts> {
    const run = this.activeRun('deactivateUnreported');
    const edges = await deactivateInLedger(this.ledger, run.start.source, scope);
    await this.patchInactive(run.start.source, edges);
    return countEdges(edges);
  }

  /**
   * The lifecycle runs on the ledger; assets it changed are imported again (a disabled asset
   * is updated, never deleted, DESIGN.md §6) and the edges it deactivated are patched.
   */
  async applyLifecycle(input: {
    completeListing: boolean;
    now: Date;
    settings: LifecycleSettings;
  }): Promise<LifecycleResult> {
    const run = this.activeRun('applyLifecycle');
    const source = run.start.source;
    // Limitation: the ledger records the lifecycle before CAR hears of it; if this re-import
    // fails, CAR keeps the old asset state until the asset changes again or a full import runs.
    const { result, assets, edges } = await lifecycleInLedger(this.ledger, source, input);
    if (assets.length > 0) {
      await this.sendParts(run.header, [{ collection: 'asset', kind: 'vertex', records: assets }]);
    }
    await this.patchInactive(source, edges);
    return result;
  }

  /**
   * Closes the full-import session whatever the outcome, then writes the checkpoint when one
   * is given. When CAR cannot close the session or store the checkpoint, the run is recorded
   * as failed; the error is thrown only if the run had otherwise succeeded, so it does not
   * hide the failure that ended the run.
   */
  async finishRun(finish: FinishRun): Promise<void> {
    const run = this.run;
    if (run === undefined) return;
    this.run = undefined;

    let carError: unknown;
    try {
      if (run.isSessionOpen) await this.api.closeFullImport(run.start.source);
      if (finish.checkpoint !== undefined) {
        await this.api.setModelState(run.start.source, JSON.stringify(finish.checkpoint));
      }
    } catch (err) {
      carError = err;
    }

    if (carError === undefined) {
      await this.ledger.finishRun(finish);
      return;
    }
    const { checkpoint: _dropped, ...rest } = finish;
    await this.ledger.finishRun({ ...rest, outcome: 'failed' });
    if (finish.outcome === 'failed') {
      this.logger.error({ err: carError, source: run.start.source }, 'car run end not recorded');
      return;
    }
    throw carError;
  }

  async riskInputs(source: string, assetIds: string[] | 'all'): Promise<AssetRiskInput[]> {
    return this.ledger.riskInputs(source, assetIds);
  }

  async listRuns(source: string, limit: number): Promise<StoredRun[]> {
    return this.ledger.listRuns(source, limit);
  }

  async close(): Promise<void> {
    try {
      await this.api.http.close();
    } finally {
      await this.ledger.close();
    }
  }

  private async reactivateInLedger(source: string, edges: EdgeRef[]): Promise<void> {
    for (const edge of edges) {
      await this.ledger.patchEdges(edge.collection, source, edge.from, edge.to, { active: true });
    }
  }

  private activeRun(operation: string): ActiveRun {
    if (this.run === undefined) {
      throw new CarImportError(
        'CAR_IMPORT_FAILED',
        `CarServiceTarget.${operation} was called outside a run; call beginRun first`,
      );
    }
    return this.run;
  }

  /** Posts parts page by page, waiting whenever the in-flight limit is reached and at the end. */
  private async sendParts(header: EnvelopeHeader, parts: BatchPart[]): Promise<void> {
    let pending: PendingImport[] = [];
    for (const part of parts) {
      for (const page of pagesOf(part.records, this.pageSize)) {
        pending.push(
          await this.api.postImport(
            envelopeOf(header, part.collection, page),
            part.collection,
            page.length,
          ),
        );
        if (pending.length >= MAX_IMPORTS_IN_FLIGHT) {
          await this.api.waitForImports(pending);
          pending = [];
        }
      }
    }
    await this.api.waitForImports(pending);
  }

  /**
   * One `PATCH {active:false}` per edge; CAR has no bulk form of this call. The ledger already
   * holds these edges as inactive, so when a PATCH fails the edges not yet patched are made
   * active again in the ledger: the next run then finds them unreported and patches them.
   */
  private async patchInactive(source: string, edges: EdgeRef[]): Promise<void> {
    for (const [index, edge] of edges.entries()) {
      try {
        await this.api.patchEdge(edge.collection, source, edge.from, edge.to, { active: false });
      } catch (err) {
        await this.reactivateInLedger(source, edges.slice(index));
        throw err;
      }
    }
    if (edges.length > 0) {
      this.logger.info({ source, edges: edges.length }, 'car edges deactivated');
    }
  }
}
