/**
 * The state one sync run carries from phase to phase, and the small helpers every phase uses:
 * confirmed writes, progress, and where the run stands (so a deferred run can say where to
 * resume). The per-run state is bounded by the machine count (ids and merge hints), never by
 * the size of the tenant's JSON.
 */
import type { AppConfig } from '../config/types.ts';
import type { MappingContext } from '../car/context.ts';
import type { GraphBatch, MappedBatch } from '../car/types.ts';
import type { AlertCursor, DefenderApi, PageCursor } from '../mde/api.ts';
import type { Checkpoint, GraphTarget, RunMode } from '../targets/target.ts';
import { SyncError } from './errors.ts';
import type { Logger } from '../log.ts';
import type { PartitionState } from './partitions.ts';
import type { EarlyHunting } from './phases/hunting.ts';
import type { HuntingPhase } from './queries.ts';
import type { PartPlan } from './permissions.ts';
import type { AddressMemory } from './address-memory.ts';
import type { RiskLedger } from './risk-ledger.ts';
import type { RecentMachines } from './recent-machines.ts';
import type { SummaryBuilder } from './summary.ts';
import type { SyncProgress } from './types.ts';

/** Rows per device of each hunting phase. */
export type HuntingRates = Partial<Record<HuntingPhase, number>>;

/** The phases in the order a run goes through them. */
export const PHASES = [
  'machines',
  'network',
  'users',
  'vulnerabilities',
  'alerts',
  'graphUsers',
] as const;
export type Phase = (typeof PHASES)[number];

/** Where the run stands inside the current phase; stored as the resume point when deferred. */
export interface Position {
  phase: Phase;
  cursor?: PageCursor;
  partition?: PartitionState;
}

/** Per-run state that later phases (and a resumed run) need. JSON-serialisable. */
export interface RunState {
  reportKey: string;
  /** Epoch ms the (first part of the) run started; the report timestamp. */
  startedAtMs: number;
  /** Machines the listing returned (and were written), by id; filled when a run defers. */
  machineIds: string[];
  machinesComplete: boolean;
  /** Highest `lastSeen` seen in this run, the original string (B20). */
  maxLastSeen?: string;
  /** Alert cursor reached so far in this run (B07). */
  alertCursor?: AlertCursor;
  /** Merge hints (B13) as pairs, merged id → survivor. */
  mergedInto: [string, string][];
  /** Assets whose risk must be recomputed (incremental). */
  touched: string[];
  /** Parts turned off mid-run by a 403. */
  disabledMidRun: string[];
  /**
   * Assets whose logged-on users were read one by one (the per-machine fallback), when that
   * fallback ran; only these may lose asset_account edges in this run.
   */
  usersReadFor?: string[];
}

export interface RunContext {
  api: DefenderApi;
  target: GraphTarget;
  config: AppConfig;
  log: Logger;
  mode: RunMode;
  /** The checkpoint the run started from (unchanged until the run ends). */
  checkpoint: Checkpoint | undefined;
  parts: PartPlan;
  summary: SummaryBuilder;
  mapping: MappingContext;
  /** Mutable run state; machineIds/touched are mirrored in the sets below while running. */
  state: RunState;
  known: Set<string>;
  touched: Set<string>;
  /** Risk inputs seen in this run (used by a full import, risk-ledger.ts). */
  risk: RiskLedger;
  /** Adapters the machines phase wrote, so the network phase skips rows that repeat them. */
  addresses: AddressMemory;
  /** Machines observed in this run, for the next checkpoint's fingerprints (B20). */
  recent: RecentMachines;
  /** Fingerprints of machines the previous run wrote with the same lastSeen (incremental). */
  unchanged: ReadonlySet<string>;
  position: Position;
  /** A hunting phase whose first query is already on its way (phases/hunting.ts). */
  earlyHunting?: EarlyHunting;
  /** Rows per device each hunting phase measured in the last run that ran it (checkpoint). */
  previousRates: HuntingRates;
  /** Rows per device each hunting phase measured in this run, for the next checkpoint. */
  huntingRates: HuntingRates;
  now: () => Date;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /** The batch being written, when the target has not confirmed it yet (writeBatch). */
  pendingWrite?: Promise<void>;
  /** True once any write was confirmed; a failure after that leaves the run partial. */
  hasWritten: boolean;
  /**
   * True when this run continues a deferred one. The target tracks what a run reported by run
   * id, and the pages before the deferral carry the earlier run's id.
   */
  isResumed: boolean;
}

/**
 * Hands one mapped batch to the target (see writeBatch: the previous batch is confirmed first,
 * so at most one write is in flight while the next page is read and mapped).
 */
export async function writeMapped(
  ctx: RunContext,
  entity: string,
  mapped: MappedBatch,
): Promise<void> {
  ctx.summary.addMapped(entity, mapped);
  await writeBatch(ctx, mapped.batch);
}

/**
 * Starts writing a batch (skipping an empty one) once the write before it is confirmed, and
 * adds the confirmed counts to the summary. A target that writes on another thread or over the
 * network then works while the run maps the next page; one that writes in place has finished
 * when this returns. A failed write surfaces at the next write or at flushWrites, and the run
 * flushes before every phase change and before it decides its outcome, so nothing counts as
 * written (or moves a resume point) before the target confirmed it.
 */
export async function writeBatch(ctx: RunContext, batch: GraphBatch): Promise<void> {
  if (isEmptyBatch(batch)) return;
  await flushWrites(ctx);
  const write = ctx.target.write(batch).then((counts) => {
    ctx.hasWritten = true;
    ctx.summary.addWritten(counts);
  });
  // Awaited by the next write or by flushWrites; this only keeps a failure that has not been
  // awaited yet from being reported as unhandled.
  write.catch(() => undefined);
  ctx.pendingWrite = write;
}

/** Waits for the write in flight, if any; rejects with its error when it failed. */
export async function flushWrites(ctx: RunContext): Promise<void> {
  const pending = ctx.pendingWrite;
  if (pending === undefined) return;
  ctx.pendingWrite = undefined;
  await pending;
}

/** Emits a progress event. */
export function progress(ctx: RunContext, event: SyncProgress): void {
  ctx.onProgress?.(event);
}

/** Throws when the caller cancelled the run. */
export function throwIfAborted(ctx: RunContext): void {
  if (ctx.signal?.aborted) {
    throw new SyncError('the sync run was cancelled; the checkpoint was kept', {
      details: { phase: ctx.position.phase },
    });
  }
}

/**
 * Adds an asset to the set whose risk is recomputed at the end. A full import recomputes every
 * asset from its own inputs (risk-ledger.ts), so it keeps no set.
 */
export function touch(ctx: RunContext, assetId: string | null | undefined): void {
  if (ctx.mode === 'full' && !ctx.isResumed) return;
  if (typeof assetId === 'string' && assetId !== '') ctx.touched.add(assetId);
}

function isEmptyBatch(batch: GraphBatch): boolean {
  for (const records of Object.values(batch.vertices)) if (records && records.length) return false;
  for (const records of Object.values(batch.edges)) if (records && records.length) return false;
  return true;
}
