/**
 * The run summary (DESIGN.md §6): counts gathered while the run goes, API usage taken from the
 * client's counters as a difference over the run (a client may serve several runs), and the
 * one-line log form.
 */
import type { ClientStats } from '../mde/api.ts';
import type { MappedBatch } from '../car/types.ts';
import type { CollectionCounts, LifecycleResult, RunMode, RunOutcome } from '../targets/target.ts';
import { isoUtc } from '../mde/time.ts';
import type { EntityCounts, RunSummary } from './types.ts';

/** Collects the numbers of one run; `finish` turns them into a RunSummary. */
export class SummaryBuilder {
  readonly entities: Record<string, EntityCounts> = {};
  readonly written: Record<string, number> = {};
  readonly deactivated: Record<string, number> = {};
  readonly counters: Record<string, number> = {};
  readonly disabled: { part: string; reason: string }[] = [];
  lifecycle = { markedInactive: 0, missed: 0, disabled: 0, reactivated: 0 };
  /** Durations use a monotonic clock: the run's `now` may be a simulated one. */
  private readonly startedMono = performance.now();

  constructor(
    private readonly base: {
      runId: string;
      source: string;
      configuration: string;
      mode: RunMode;
      startedAt: Date;
      statsAtStart: ClientStats;
    },
  ) {}

  /** The counts of one source entity, created on first use. */
  entity(name: string): EntityCounts {
    this.entities[name] ??= { read: 0, written: 0, deactivated: 0, skipped: {} };
    return this.entities[name];
  }

  /** Adds a mapped page: its skip reasons and health counters. */
  addMapped(entity: string, mapped: MappedBatch): void {
    const counts = this.entity(entity);
    for (const skip of mapped.skipped) {
      counts.skipped[skip.reason] = (counts.skipped[skip.reason] ?? 0) + 1;
    }
    addInto(this.counters, mapped.counters);
  }

  skip(entity: string, reason: string, count = 1): void {
    const counts = this.entity(entity);
    counts.skipped[reason] = (counts.skipped[reason] ?? 0) + count;
  }

  addWritten(counts: CollectionCounts): void {
    addInto(this.written, counts);
  }

  addDeactivated(counts: CollectionCounts, entity?: string): void {
    addInto(this.deactivated, counts);
    if (entity) this.entity(entity).deactivated += sum(counts);
  }

  addLifecycle(result: LifecycleResult): void {
    this.lifecycle.markedInactive += result.markedInactive;
    this.lifecycle.missed += result.missed;
    this.lifecycle.disabled += result.disabled;
    this.lifecycle.reactivated += result.reactivated;
    this.counters['lifecycle.edgesDeactivated'] =
      (this.counters['lifecycle.edgesDeactivated'] ?? 0) + result.edgesDeactivated;
  }

  /** Records a part turned off, once per part. */
  disable(part: string, reason: string): void {
    if (this.disabled.some((d) => d.part === part)) return;
    this.disabled.push({ part, reason });
  }

  count(name: string, by = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + by;
  }

  finish(input: {
    outcome: RunOutcome;
    finishedAt: Date;
    stats: ClientStats;
    checkpointAdvanced: boolean;
    reason?: string;
    errorCode?: string;
    resumeAfter?: string;
  }): RunSummary {
    const start = this.base.statsAtStart;
    const calls: Record<string, number> = {};
    for (const [family, n] of Object.entries(input.stats.callsByFamily)) {
      const delta =
        (n ?? 0) - (start.callsByFamily[family as keyof typeof start.callsByFamily] ?? 0);
      if (delta > 0) calls[family] = delta;
    }
    const summary: RunSummary = {
      runId: this.base.runId,
      source: this.base.source,
      configuration: this.base.configuration,
      mode: this.base.mode,
      outcome: input.outcome,
      startedAt: isoUtc(this.base.startedAt),
      finishedAt: isoUtc(input.finishedAt),
      durationMs: Math.round(performance.now() - this.startedMono),
      entities: this.entities,
      written: this.written,
      deactivated: this.deactivated,
      lifecycle: this.lifecycle,
      disabled: this.disabled,
      apiCalls: calls,
      throttleWaits: input.stats.throttleWaits - start.throttleWaits,
      throttleWaitMs: input.stats.throttleWaitMs - start.throttleWaitMs,
      retries: input.stats.retries - start.retries,
      bytesReceived: input.stats.bytesReceived - start.bytesReceived,
      counters: this.counters,
      checkpointAdvanced: input.checkpointAdvanced,
    };
    if (input.reason !== undefined) summary.reason = input.reason;
    if (input.errorCode !== undefined) summary.errorCode = input.errorCode;
    if (input.resumeAfter !== undefined) summary.resumeAfter = input.resumeAfter;
    return summary;
  }
}

/** The compact fields of a summary for its single info log line. */
export function summaryLogFields(summary: RunSummary): Record<string, unknown> {
  const entities: Record<string, string> = {};
  for (const [name, c] of Object.entries(summary.entities)) {
    entities[name] = `read ${c.read} written ${c.written} skipped ${sum(c.skipped)}`;
  }
  return {
    outcome: summary.outcome,
    mode: summary.mode,
    durationMs: summary.durationMs,
    entities,
    written: summary.written,
    deactivated: summary.deactivated,
    lifecycle: summary.lifecycle,
    apiCalls: summary.apiCalls,
    throttleWaits: summary.throttleWaits,
    bytesReceived: summary.bytesReceived,
    disabled: summary.disabled.map((d) => d.part),
    checkpointAdvanced: summary.checkpointAdvanced,
    reason: summary.reason,
  };
}

/** An all-zero copy of client counters, for clients that report none yet. */
export function emptyStats(): ClientStats {
  return {
    callsByFamily: {},
    throttleWaits: 0,
    throttleWaitMs: 0,
    retries: 0,
    bytesReceived: 0,
    tokenRefreshes: 0,
  };
}

/** Sums the values of a counts record. */
export function sum(counts: Record<string, number | undefined>): number {
  let total = 0;
  for (const n of Object.values(counts)) total += n ?? 0;
  return total;
}

function addInto(into: Record<string, number>, from: Record<string, number | undefined>): void {
  for (const [key, n] of Object.entries(from)) {
    if (n) into[key] = (into[key] ?? 0) + n;
  }
}
