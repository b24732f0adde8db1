/**
 * What a run stores when it ends (DESIGN.md §6): a new checkpoint only after a complete run
 * whose every write was confirmed; for a deferred run, the old checkpoint plus where to resume
 * (B05). The machine checkpoint is the highest `lastSeen` observed, never the wall clock (B20).
 */
import type { MdeDeferredError } from '../errors.ts';
import { isoUtc } from '../mde/time.ts';
import type { Checkpoint, ResumePoint } from '../targets/target.ts';
import type { RunContext } from './context.ts';
import { laterTime } from './plan.ts';
import type { SyncCheckpoint } from './recent-machines.ts';
import { laterCursor } from './phases/lists.ts';

/** The checkpoint after a complete, confirmed run. */
export function completedCheckpoint(ctx: RunContext, runId: string, finishedAt: Date): Checkpoint {
  const old = ctx.checkpoint;
  const isFull = ctx.mode === 'full';
  const machinesLastSeen = isFull
    ? (ctx.state.maxLastSeen ?? old?.machinesLastSeen)
    : laterTime(old?.machinesLastSeen, ctx.state.maxLastSeen);
  const alertCursor = ctx.state.alertCursor
    ? laterCursor(old?.alertCursor, ctx.state.alertCursor)
    : old?.alertCursor;

  const checkpoint: Checkpoint = {
    source: ctx.config.connection.name,
    runId,
    updatedAt: isoUtc(finishedAt),
  };
  if (machinesLastSeen !== undefined) checkpoint.machinesLastSeen = machinesLastSeen;
  if (alertCursor !== undefined) checkpoint.alertCursor = alertCursor;
  // A resumed full import did not reconcile (finalize.ts), so the next run is full again.
  const lastFullAt = isFull && !ctx.isResumed ? isoUtc(finishedAt) : old?.lastFullAt;
  if (lastFullAt !== undefined) checkpoint.lastFullAt = lastFullAt;
  const recentMachines = ctx.recent.inWindow(machinesLastSeen, ctx.config.sync.overlapHours);
  if (recentMachines.length > 0) (checkpoint as SyncCheckpoint).recentMachines = recentMachines;
  // A phase this run did not read (turned off, or nothing changed) keeps the last measure.
  const rates = { ...ctx.previousRates, ...ctx.huntingRates };
  if (Object.keys(rates).length > 0) (checkpoint as SyncCheckpoint).huntingRowsPerDevice = rates;
  return checkpoint;
}

/** The old checkpoint (unchanged) plus the resume point of a deferred run. */
export function deferredCheckpoint(
  ctx: RunContext,
  runId: string,
  err: MdeDeferredError,
  now: Date,
): Checkpoint {
  const resume: ResumePoint = {
    runId,
    mode: ctx.mode,
    phase: ctx.position.phase,
    resumeAfter: isoUtc(err.resumeAfter),
    state: {
      run: {
        ...ctx.state,
        machineIds: [...ctx.known],
        touched: [...ctx.touched],
        mergedInto: [...(ctx.mapping.mergedInto ?? new Map<string, string>())],
      },
      ...(ctx.position.partition ? { partition: ctx.position.partition } : {}),
    },
  };
  if (ctx.position.cursor) resume.cursor = ctx.position.cursor;
  const base: Checkpoint = ctx.checkpoint
    ? { ...ctx.checkpoint }
    : { source: ctx.config.connection.name, runId, updatedAt: isoUtc(now) };
  return { ...base, resume };
}
