/**
 * Deciding what a run does (DESIGN.md §6): full or incremental, and whether it continues a
 * deferred run (field fault B05). Pure functions over the stored checkpoint and the clock, so
 * the rules are tested without I/O. Every instant is handled in UTC (B22).
 */
import { compareMdeTime, formatTicks, isoUtc, parseMdeTime } from '../mde/time.ts';
import type { Checkpoint, ResumePoint, RunMode } from '../targets/target.ts';

export type RequestedMode = 'auto' | 'full' | 'incremental';

/** What the run will do and why, in words for the log and the summary. */
export interface RunPlan {
  mode: RunMode;
  reason: string;
  /** Present when the run continues a deferred one. */
  resume?: ResumePoint;
}

export interface PlanSettings {
  fullReconcileHours: number;
}

const HOUR_MS = 3_600_000;
const TICKS_PER_HOUR = 36_000_000_000n;

/** Chooses full or incremental (and resume) from the checkpoint, the request and the clock. */
export function planRun(
  checkpoint: Checkpoint | undefined,
  requested: RequestedMode,
  now: Date,
  settings: PlanSettings,
): RunPlan {
  const resume = checkpoint?.resume;
  if (resume && (requested === 'auto' || requested === resume.mode)) {
    return { mode: resume.mode, reason: `continues deferred run ${resume.runId}`, resume };
  }
  if (requested === 'full') return { mode: 'full', reason: 'full import requested' };
  if (!checkpoint?.machinesLastSeen || !checkpoint.lastFullAt) {
    return { mode: 'full', reason: 'no checkpoint from a completed full import' };
  }
  if (requested === 'incremental') return { mode: 'incremental', reason: 'incremental requested' };

  const lastFullMs = Date.parse(checkpoint.lastFullAt);
  const ageHours = (now.getTime() - lastFullMs) / HOUR_MS;
  if (!Number.isFinite(ageHours) || ageHours >= settings.fullReconcileHours) {
    return {
      mode: 'full',
      reason: `periodic reconcile due (last full import ${checkpoint.lastFullAt})`,
    };
  }
  return { mode: 'incremental', reason: `checkpoint ${checkpoint.machinesLastSeen}` };
}

/**
 * The incremental machines filter (B20, B22): `lastSeen ge <checkpoint − overlap>`, computed in
 * 100 ns ticks from the stored original string and written in UTC with seven fractional digits,
 * so neither the host's time zone nor millisecond rounding moves the window.
 */
export function machinesSinceFilter(checkpointLastSeen: string, overlapHours: number): string {
  const instant = parseMdeTime(checkpointLastSeen);
  if (!instant) {
    throw new RangeError(`checkpoint lastSeen "${checkpointLastSeen}" is not a Defender timestamp`);
  }
  const overlapTicks = BigInt(Math.round(overlapHours * 3600)) * (TICKS_PER_HOUR / 3600n);
  return `lastSeen ge ${formatTicks(instant.ticks - overlapTicks)}`;
}

/** The later of two Defender timestamps as their original strings; undefined-safe. */
export function laterTime(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || parseMdeTime(a) === undefined) return b ?? a;
  if (b === undefined || parseMdeTime(b) === undefined) return a;
  return compareMdeTime(a, b) >= 0 ? a : b;
}

/** True when a deferred run's `resumeAfter` is still in the future. */
export function isTooEarlyToResume(resume: ResumePoint, now: Date): boolean {
  const after = Date.parse(resume.resumeAfter);
  return Number.isFinite(after) && after > now.getTime();
}

/** The instant `now` as stored in checkpoints. */
export function checkpointTime(now: Date): string {
  return isoUtc(now);
}
