/** Counters of one client, per endpoint family and in total (ClientStats in ./api.ts). */
import type { ClientStats, FamilyStats } from './api.ts';
import type { EndpointFamily } from './types.ts';

/** Mutable counters; `snapshot` hands out a copy. */
export class StatsRecorder {
  private readonly families = new Map<EndpointFamily, FamilyStats>();
  pagingLoops = 0;

  /** Adds to the counters of `family`. */
  add(family: EndpointFamily, delta: Partial<FamilyStats>): void {
    const current = this.families.get(family) ?? emptyFamily();
    for (const [key, value] of Object.entries(delta) as [keyof FamilyStats, number][])
      current[key] += value;
    this.families.set(family, current);
  }

  snapshot(): ClientStats {
    const total = emptyFamily();
    const byFamily: Partial<Record<EndpointFamily, FamilyStats>> = {};
    const callsByFamily: Partial<Record<EndpointFamily, number>> = {};
    for (const [family, stats] of this.families) {
      byFamily[family] = { ...stats };
      callsByFamily[family] = stats.calls;
      for (const key of Object.keys(total) as (keyof FamilyStats)[]) total[key] += stats[key];
    }
    return {
      callsByFamily,
      throttleWaits: total.throttleWaits,
      throttleWaitMs: total.throttleWaitMs,
      retries: total.retries,
      bytesReceived: total.bytesReceived,
      tokenRefreshes: total.tokenRefreshes,
      byFamily,
      pagingLoops: this.pagingLoops,
    };
  }
}

function emptyFamily(): FamilyStats {
  return {
    calls: 0,
    throttleWaits: 0,
    throttleWaitMs: 0,
    retries: 0,
    bytesReceived: 0,
    tokenRefreshes: 0,
  };
}
