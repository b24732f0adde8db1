/**
 * Client-side pacing per endpoint family, both windows at once (mde-api.md §3.1): the client
 * waits for a free slot instead of letting the service answer 429. Quotas are per tenant and
 * application, so one pacer per client is right when one process syncs one configuration.
 */
import type { EndpointFamily } from './types.ts';

export interface Quota {
  perMinute?: number;
  perHour?: number;
}

/** Documented call quotas per family (mde-api.md §3.1); Graph and Entra have none we pace. */
export const QUOTAS: Readonly<Record<EndpointFamily, Quota>> = {
  machines: { perMinute: 100, perHour: 1_500 },
  alerts: { perMinute: 100, perHour: 1_500 },
  logonusers: { perMinute: 100, perHour: 1_500 },
  hunting: { perMinute: 45, perHour: 1_500 },
  vulnerabilities: { perMinute: 50, perHour: 1_500 },
  graph: {},
  token: {},
};

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Sliding-window call log per family. */
export class QuotaPacer {
  private readonly calls = new Map<EndpointFamily, number[]>();

  constructor(private readonly quotas: Readonly<Record<EndpointFamily, Quota>> = QUOTAS) {}

  /** Milliseconds to wait before the next call of `family` fits both windows. */
  waitMs(family: EndpointFamily, nowMs: number): number {
    const quota = this.quotas[family];
    const log = this.prune(family, nowMs);
    const minuteWait = windowWait(log, quota.perMinute, MINUTE_MS, nowMs);
    const hourWait = windowWait(log, quota.perHour, HOUR_MS, nowMs);
    return Math.max(0, minuteWait, hourWait);
  }

  /** Records a call made (or planned) at `atMs`. */
  record(family: EndpointFamily, atMs: number): void {
    const log = this.calls.get(family) ?? [];
    log.push(atMs);
    this.calls.set(family, log);
  }

  private prune(family: EndpointFamily, nowMs: number): number[] {
    const log = (this.calls.get(family) ?? []).filter((t) => t > nowMs - HOUR_MS);
    this.calls.set(family, log);
    return log;
  }
}

function windowWait(
  log: number[],
  limit: number | undefined,
  windowMs: number,
  nowMs: number,
): number {
  if (limit === undefined) return 0;
  const inWindow = log.filter((t) => t > nowMs - windowMs);
  if (inWindow.length < limit) return 0;
  const oldestThatMustExpire = inWindow[inWindow.length - limit] ?? nowMs;
  return oldestThatMustExpire + windowMs - nowMs;
}
