/**
 * The embedded target (DESIGN.md §7): the CAR graph in a local SQLite file (better-sqlite3 12,
 * WAL), with CAR's import semantics, run history, checkpoints and the Data Explorer search.
 * Every write call is one transaction with prepared statements. The file and its folder are
 * created on first use, except in read-only mode, where a missing file is an error.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ConnectorError, StoreError } from '../../errors.ts';
import type { Logger } from '../../log.ts';
import type { GraphBatch } from '../../car/types.ts';
import type { SearchKind, SearchResult } from '../../car/search-types.ts';
import type {
  AssetRiskInput,
  Checkpoint,
  CollectionCounts,
  DeactivationScope,
  FinishRun,
  LifecycleResult,
  LifecycleSettings,
  RunStart,
  StoredRun,
} from '../target.ts';
import { AssetReader } from './asset-reader.ts';
import { deactivateAllUnreported, deactivateUnreported } from './deactivate.ts';
import { GraphIds } from './graph-ids.ts';
import { GraphWriter, type WriteStamp } from './graph-writer.ts';
import { applyLifecycle } from './lifecycle.ts';
import { migrate, SCHEMA_VERSION } from './migrations.ts';
import { openDatabase, upgradeBeforeReading } from './open-file.ts';
import { GraphInspector } from './inspect.ts';
import { RunLedger } from './runs.ts';
import { StoreSearch } from './search.ts';
import type { EmbeddedStore, EmbeddedStoreOptions } from './types.ts';

/** SQLite page cache per connection, in KiB (64 MiB). */
const CACHE_KIB = 65_536;
/** Write-ahead log pages (4 KiB each) before SQLite copies them into the file: 40 MB. */
const WAL_CHECKPOINT_PAGES = 10_000;
/** Size the write-ahead log is truncated to after a copy. */
const WAL_KEEP_BYTES = 64 * 1_048_576;

/** Opens (creating when needed) the embedded store. Throws STORE_FAILED when it cannot. */
export function openEmbeddedStore(options: EmbeddedStoreOptions): EmbeddedStore {
  const path = resolve(options.path);
  const upgrade = options.readonly === true ? upgradeBeforeReading(path) : {};
  const db = openDatabase(path, options.readonly === true);
  const log = options.logger.child({ component: 'store' });
  try {
    if (options.readonly !== true) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // A large page cache keeps the B-trees of a 100,000-machine graph in memory while writing.
      db.pragma(`cache_size = -${CACHE_KIB}`);
      // A 10,000-machine batch dirties thousands of index pages: copying the log into the
      // file (with an fsync) every 40 MB rather than every 4 MB (the default) saves about a
      // second of commits per 100,000 machines; the log is cut back to 64 MB after each copy.
      db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      db.pragma(`journal_size_limit = ${WAL_KEEP_BYTES}`);
      migrate(db, path);
    }
    db.pragma('busy_timeout = 5000');
    // Reading the schema version fails at once on a file that is not SQLite, so the person
    // learns which file is wrong instead of meeting the error at the first query.
    db.pragma('user_version', { simple: true });
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError(
      `cannot use ${path} as the store (${(err as Error).message}); point --db at a file ` +
        'written by mde-car sync, or at a new path',
      { cause: err, details: { path } },
    );
  }
  if (upgrade.upgradedFrom !== undefined) {
    log.warn(
      { path, from: upgrade.upgradedFrom, to: SCHEMA_VERSION },
      'store upgraded to the current schema; earlier connector versions cannot open it any more',
    );
  }
  log.debug({ path, readonly: options.readonly === true }, 'store opened');
  return new SqliteStore(db, path, log);
}

class SqliteStore implements EmbeddedStore {
  readonly kind = 'embedded';
  private readonly ids: GraphIds;
  private readonly writer: GraphWriter;
  private readonly ledger: RunLedger;
  private readonly assets: AssetReader;
  private readonly searcher: StoreSearch;
  private readonly inspector: GraphInspector;
  private run: RunStart | undefined;
  /** Vertex ids of the assets the open run wrote, for the lifecycle (committed writes only). */
  private runAssets = new Set<number>();

  constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly log: Logger,
  ) {
    this.ids = new GraphIds(db);
    this.writer = new GraphWriter(db, this.ids);
    this.ledger = new RunLedger(db);
    this.assets = new AssetReader(db);
    this.searcher = new StoreSearch(db, this.assets);
    this.inspector = new GraphInspector(db);
  }

  async getCheckpoint(source: string): Promise<Checkpoint | undefined> {
    return this.guard('read the checkpoint', () => this.ledger.getCheckpoint(source));
  }

  async beginRun(run: RunStart): Promise<void> {
    const interrupted = this.guard('begin the run', () => this.ledger.begin(run));
    if (interrupted > 0)
      this.log.warn({ source: run.source, interrupted }, 'earlier run marked interrupted');
    this.run = run;
    this.runAssets = new Set();
    this.log.info({ runId: run.runId, source: run.source, mode: run.mode }, 'run started');
  }

  async write(batch: GraphBatch): Promise<CollectionCounts> {
    const run = this.requireRun('write');
    const stamp: WriteStamp = {
      source: run.source,
      reportKey: run.reportKey,
      reportedAtMs: reportTime(run.reportKey, run.startedAt.getTime()),
      runId: run.runId,
    };
    const counts = this.guard('write a batch', () => this.writer.write(batch, stamp));
    for (const vid of this.writer.assetsWritten) this.runAssets.add(vid);
    this.log.debug({ counts }, 'batch written');
    return counts;
  }

  async deactivateUnreported(scope: DeactivationScope): Promise<CollectionCounts> {
    const run = this.requireRun('deactivate edges');
    return this.guard('deactivate edges', () =>
      deactivateUnreported(this.db, run.source, run.runId, scope),
    );
  }

  async applyLifecycle(input: {
    completeListing: boolean;
    now: Date;
    settings: LifecycleSettings;
  }): Promise<LifecycleResult> {
    const run = this.requireRun('apply the lifecycle');
    return this.guard('apply the lifecycle', () =>
      applyLifecycle(this.db, {
        ...input,
        source: run.source,
        runId: run.runId,
        reported: this.runAssets,
      }),
    );
  }

  async finishRun(finish: FinishRun): Promise<void> {
    const run = this.requireRun('finish the run');
    this.guard('finish the run', () => this.ledger.finish(run, finish, new Date()));
    this.run = undefined;
    this.runAssets = new Set();
    this.log.info(
      { runId: run.runId, outcome: finish.outcome, checkpoint: finish.checkpoint !== undefined },
      'run finished',
    );
  }

  async riskInputs(source: string, assetIds: string[] | 'all'): Promise<AssetRiskInput[]> {
    return this.guard('read risk inputs', () => {
      if (assetIds === 'all') return this.assets.liveRiskInputs(source);
      return assetIds.flatMap((id) => this.assets.riskInput(source, id) ?? []);
    });
  }

  async listRuns(source: string, limit: number): Promise<StoredRun[]> {
    return this.guard('list runs', () => this.ledger.list(source, limit));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  search(kind: SearchKind, value: string, options: { source?: string } = {}): SearchResult {
    return this.guard('search', () => this.searcher.search(kind, value, options));
  }

  getVertex(collection: string, id: string, source?: string) {
    return this.inspector.getVertex(collection, id, source);
  }

  listVertices(collection: string, source?: string) {
    return this.inspector.listVertices(collection, source);
  }

  listEdges(collection: string, source?: string) {
    return this.inspector.listEdges(collection, source);
  }

  applyImport(source: string, reportKey: string, batch: GraphBatch): CollectionCounts {
    const session = this.ledger.getSession(source);
    const stamp: WriteStamp = {
      source,
      reportKey,
      reportedAtMs: reportTime(reportKey, Date.now()),
      runId: session ?? `import:${reportKey}`,
    };
    return this.guard('apply an import', () => this.writer.write(batch, stamp));
  }

  patchEdges(
    collection: string,
    source: string,
    from: string,
    to: string,
    patch: { active?: boolean },
  ): number {
    return this.guard('patch edges', () =>
      this.inspector.patchEdges(collection, source, from, to, patch),
    );
  }

  deleteVertices(
    source: string,
    collection: string,
    ids: string[],
    by: 'external_id' | 'key',
  ): number {
    return this.guard('delete vertices', () =>
      this.inspector.deleteVertices(source, collection, ids, by),
    );
  }

  getModelState(source: string): string | undefined {
    return this.guard('read the model state', () => this.ledger.getModelState(source));
  }

  setModelState(source: string, value: string): void {
    this.guard('write the model state', () => this.ledger.setModelState(source, value));
  }

  beginFullImportSession(source: string): void {
    this.guard('open a full-import session', () =>
      this.ledger.setSession(source, `session:${randomUUID()}`),
    );
  }

  endFullImportSession(source: string): CollectionCounts {
    return this.guard('close the full-import session', () =>
      this.db.transaction(() => {
        const session = this.ledger.getSession(source);
        this.ledger.setSession(source, null);
        return session === undefined ? {} : deactivateAllUnreported(this.db, source, session);
      })(),
    );
  }

  private requireRun(action: string): RunStart {
    if (!this.run) {
      throw new StoreError(
        `cannot ${action}: no run is open on the store ${this.path}; call beginRun first`,
      );
    }
    return this.run;
  }

  /** Runs a store operation, wrapping SQLite failures in STORE_FAILED with the action named. */
  private guard<T>(action: string, operation: () => T): T {
    try {
      return operation();
    } catch (err) {
      // Ids handed out by a transaction that rolled back no longer exist.
      this.ids.forget();
      if (err instanceof ConnectorError) throw err;
      throw new StoreError(
        `cannot ${action} in the store ${this.path}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }
}

/** The report time in ms: the report key when it is epoch ms (as CAR's are), else `fallbackMs`. */
function reportTime(reportKey: string, fallbackMs: number): number {
  const ms = Number(reportKey);
  return Number.isFinite(ms) && ms > 0 ? Math.trunc(ms) : fallbackMs;
}
