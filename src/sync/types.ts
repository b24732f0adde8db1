/**
 * The contract of the sync engine for its callers (CLI, runner, demo, benchmark): how a run is
 * started and what it reports. The engine itself lives beside this file (run.ts).
 */
import type { AppConfig, DefenderConfiguration } from '../config/types.ts';
import type { DefenderApi } from '../mde/api.ts';
import type { GraphTarget, RunMode, RunOutcome } from '../targets/target.ts';
import type { Logger } from '../log.ts';

/** Counts for one collection or entity kind. */
export interface EntityCounts {
  read: number;
  written: number;
  deactivated: number;
  /** Reason → count, e.g. `{ "unmanaged": 2, "ip:empty": 5 }`. */
  skipped: Record<string, number>;
}

/** The run summary: printed, logged and stored in the run history (DESIGN.md §6). */
export interface RunSummary {
  runId: string;
  source: string;
  configuration: string;
  mode: RunMode;
  outcome: RunOutcome;
  /** Why the run is partial, deferred or failed; a sentence a person can act on. */
  reason?: string;
  /** Error code when the run failed or was deferred. */
  errorCode?: string;
  /** For a deferred run: when to try again (ISO UTC). */
  resumeAfter?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Per source entity (machines, alerts, network, users, vulnerabilities). */
  entities: Record<string, EntityCounts>;
  /** Per CAR collection: records written. */
  written: Record<string, number>;
  /** Per CAR collection: edges deactivated. */
  deactivated: Record<string, number>;
  lifecycle: { markedInactive: number; missed: number; disabled: number; reactivated: number };
  /** Parts of the sync turned off, with the reason (e.g. missing role). */
  disabled: { part: string; reason: string }[];
  apiCalls: Record<string, number>;
  throttleWaits: number;
  throttleWaitMs: number;
  retries: number;
  bytesReceived: number;
  /** Health counters, e.g. `ipDropped.empty`. */
  counters: Record<string, number>;
  checkpointAdvanced: boolean;
}

/** Progress events for a terminal or the UI; emitted per page and per phase. */
export interface SyncProgress {
  phase: string;
  /** Items of this phase handled so far. */
  done: number;
  /** Known total, if any. */
  total?: number;
  message?: string;
}

export interface RunSyncOptions {
  config: AppConfig;
  /** Which configuration of the connection to run; default the first. */
  configuration?: DefenderConfiguration;
  target: GraphTarget;
  logger: Logger;
  /** `auto` (default): full when no checkpoint or reconcile due, else incremental. */
  mode?: 'auto' | 'full' | 'incremental';
  /** A client to use instead of building one from the configuration (tests, benchmark). */
  api?: DefenderApi;
  /** Injected clock for tests; default `() => new Date()`. */
  now?: () => Date;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}
