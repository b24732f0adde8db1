/**
 * The contract between the sync engine and wherever the graph goes: the embedded store, the
 * CAR service, or import files. Targets own the import semantics of DESIGN.md §6–7: upsert by
 * identity, `active` flags, deactivating what a run did not report, the asset lifecycle, and
 * checkpoints that advance only when the run says so.
 */
import type { AlertCursor, PageCursor } from '../mde/api.ts';
import type { EdgeCollection, GraphBatch, VertexCollection } from '../car/types.ts';

export type RunMode = 'full' | 'incremental';
export type RunOutcome = 'ok' | 'partial' | 'deferred' | 'failed';

export interface RunStart {
  runId: string;
  /** CAR source key (the connection name). */
  source: string;
  mode: RunMode;
  startedAt: Date;
  /** CAR report `_key` for this run (epoch ms as text, as the existing connector does). */
  reportKey: string;
}

/**
 * Where a deferred run stopped, stored so the next run continues there instead of starting
 * over (field fault B05). `phase` names the sync step; `cursor` is that step's page cursor.
 */
export interface ResumePoint {
  runId: string;
  mode: RunMode;
  phase: string;
  cursor?: PageCursor;
  /** Earliest instant (ISO UTC) at which the service said to try again. */
  resumeAfter: string;
  /** Step-specific extra state (e.g. hunting partitions done). JSON only. */
  state?: Record<string, unknown>;
}

/** What lets the next run be incremental. Stored per source; all instants are UTC strings. */
export interface Checkpoint {
  source: string;
  /** Highest machine `lastSeen` observed, the original string (B20, B22). */
  machinesLastSeen?: string;
  /** Alert cursor (B07). */
  alertCursor?: AlertCursor;
  /** When the last complete full import finished (ISO UTC), for the periodic reconcile. */
  lastFullAt?: string;
  /** The run that wrote this checkpoint. */
  runId: string;
  updatedAt: string;
  /** Present when the last run was deferred. */
  resume?: ResumePoint;
}

export type CollectionCounts = Partial<Record<VertexCollection | EdgeCollection, number>>;

/** Which edges to deactivate when they were not reported by the current run. */
export type DeactivationScope =
  /** A complete full listing: every edge of the source not reported in this run. */
  | { kind: 'full' }
  /**
   * An incremental run: edges of these collections leaving these assets (by external id)
   * that this run did not report.
   */
  | { kind: 'assets'; assetIds: string[]; collections: EdgeCollection[] };

export interface LifecycleSettings {
  /** An asset inactive in Defender this many days is disabled. */
  inactiveGraceDays: number;
  /** An asset missing from this many consecutive complete listings is disabled. */
  missingGraceRuns: number;
}

/** Counts of asset lifecycle transitions in one run (B23). */
export interface LifecycleResult {
  markedInactive: number;
  missed: number;
  disabled: number;
  reactivated: number;
  edgesDeactivated: number;
}

/**
 * What the risk computation (src/car/risk.ts) needs for one asset: Defender's own fields as
 * stored on the asset, plus what the graph says about its open alerts and vulnerabilities.
 */
export interface AssetRiskInput {
  assetId: string;
  riskScore: string | null;
  exposureLevel: string | null;
  deviceValue: string | null;
  onboardingStatus: string | null;
  /** Severities of alerts linked by an active edge (open alerts only). */
  openAlertSeverities: string[];
  /** Highest CVSS among CVEs linked by an active edge, or null. */
  maxCvss: number | null;
}

export interface FinishRun {
  outcome: RunOutcome;
  /** Present only when the run may advance the checkpoint (or store a resume point). */
  checkpoint?: Checkpoint;
  /** The run summary, stored in the run history as JSON. */
  summary: Record<string, unknown>;
}

/** A stored run, as the run history returns it. */
export interface StoredRun {
  runId: string;
  source: string;
  mode: RunMode;
  outcome: RunOutcome | 'running';
  startedAt: string;
  finishedAt?: string;
  summary?: Record<string, unknown>;
}

export interface GraphTarget {
  /** Short name for logs and summaries: `embedded`, `car`, `files`. */
  readonly kind: string;

  getCheckpoint(source: string): Promise<Checkpoint | undefined>;

  /** Starts a run. For CAR this opens the full-import session of a full run. */
  beginRun(run: RunStart): Promise<void>;

  /** Upserts a batch; resolves only once the target has confirmed the write. */
  write(batch: GraphBatch): Promise<CollectionCounts>;

  /** Deactivates edges the current run did not report, within the scope. */
  deactivateUnreported(scope: DeactivationScope): Promise<CollectionCounts>;

  /**
   * Moves assets through Active → Inactive → disabled (DESIGN.md §6) after a complete full
   * listing (`completeListing`), or only by Defender's health state otherwise.
   */
  applyLifecycle(input: {
    completeListing: boolean;
    now: Date;
    settings: LifecycleSettings;
  }): Promise<LifecycleResult>;

  /**
   * Ends the run. The checkpoint is written only when given; for CAR this also closes the
   * full-import session, which it must do on every outcome.
   */
  finishRun(finish: FinishRun): Promise<void>;

  /**
   * Risk inputs of the given assets (external ids), or of every active asset of the source
   * for `'all'`. The sync turns them into `asset.risk` in its last phase.
   */
  riskInputs(source: string, assetIds: string[] | 'all'): Promise<AssetRiskInput[]>;

  /** Run history, newest first. */
  listRuns(source: string, limit: number): Promise<StoredRun[]>;

  close(): Promise<void>;
}
