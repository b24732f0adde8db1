/**
 * The `(id, lastSeen)` de-duplication of field fault B20. The incremental filter overlaps the
 * previous run by `overlapHours`, so most machines it returns were already written with the
 * same `lastSeen`. The checkpoint keeps a short fingerprint of every machine whose `lastSeen`
 * falls inside the next run's window; the next incremental run skips those machines (counted
 * as `unchanged`) and spends its queries on the machines that reported again.
 *
 * Limitation: fields that change without a new `lastSeen` (risk, exposure, health) reach the
 * graph at the next full reconcile (default daily), as DESIGN.md §6 intends.
 */
import { createHash } from 'node:crypto';
import type { Machine } from '../mde/types.ts';
import { parseMdeTime } from '../mde/time.ts';
import type { Checkpoint } from '../targets/target.ts';
import type { HuntingPhase } from './queries.ts';

/** The checkpoint as the sync stores it: the contract's fields plus the fingerprints. */
export interface SyncCheckpoint extends Checkpoint {
  /** Fingerprints of `(id, lastSeen)` inside the next run's overlap window. */
  recentMachines?: string[];
  /** Rows per device each hunting phase last read, to size the next run's first queries. */
  huntingRowsPerDevice?: Partial<Record<HuntingPhase, number>>;
}

const TICKS_PER_HOUR = 36_000_000_000n;

/** A 12-hex-digit fingerprint of a machine id and its original `lastSeen` string. */
export function fingerprint(id: string, lastSeen: string): string {
  return createHash('sha1').update(`${id}\u0000${lastSeen}`).digest('hex').slice(0, 12);
}

/** Collects the machines of one run with their `lastSeen` instants. */
export class RecentMachines {
  private readonly seen: { print: string; ticks: bigint }[] = [];

  add(machine: Machine): void {
    if (typeof machine.lastSeen !== 'string') return;
    const instant = parseMdeTime(machine.lastSeen);
    if (!instant) return;
    this.seen.push({ print: fingerprint(machine.id, machine.lastSeen), ticks: instant.ticks });
  }

  /** Fingerprints with `lastSeen` at or after `checkpoint − overlapHours`. */
  inWindow(checkpointLastSeen: string | undefined, overlapHours: number): string[] {
    const bound = parseMdeTime(checkpointLastSeen)?.ticks;
    if (bound === undefined) return [];
    const from = bound - BigInt(Math.round(overlapHours * 3600)) * (TICKS_PER_HOUR / 3600n);
    return this.seen.filter((s) => s.ticks >= from).map((s) => s.print);
  }
}
