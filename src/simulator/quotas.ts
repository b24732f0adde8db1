/**
 * Call quotas per endpoint family (mde-api.md §3.1), enforced over two sliding windows, a
 * minute and an hour, counted in wall-clock time. A refused call is not counted. The answer
 * names the window that is full and how many seconds until a call leaves it.
 */
export type QuotaFamily = 'machines' | 'alerts' | 'logonusers' | 'vulnerabilities' | 'hunting';

export interface QuotaLimit {
  perMinute: number;
  perHour: number;
}

/** Published limits (mde-api.md §3.1); machinesVulnerabilities and software share the TVM budget. */
export const QUOTA_LIMITS: Record<QuotaFamily, QuotaLimit> = {
  machines: { perMinute: 100, perHour: 1500 },
  alerts: { perMinute: 100, perHour: 1500 },
  logonusers: { perMinute: 100, perHour: 1500 },
  vulnerabilities: { perMinute: 50, perHour: 1500 },
  hunting: { perMinute: 45, perHour: 1500 },
};

export interface QuotaRefusal {
  window: 'minute' | 'hour';
  limit: number;
  retryAfterSeconds: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

// Limitation: only call counts are limited; the advanced-hunting CPU budget (10 minutes per
// hour, 3 hours per day) is not enforced, so a client never sees that kind of 429 here.
export class QuotaTracker {
  private readonly calls = new Map<QuotaFamily, number[]>();

  constructor(
    private readonly limits: Record<QuotaFamily, QuotaLimit> = QUOTA_LIMITS,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Counts the call and returns undefined, or refuses it without counting. */
  take(family: QuotaFamily): QuotaRefusal | undefined {
    const now = this.nowMs();
    const calls = (this.calls.get(family) ?? []).filter((t) => t > now - HOUR_MS);
    this.calls.set(family, calls);
    const limit = this.limits[family];
    const inMinute = calls.filter((t) => t > now - MINUTE_MS);
    if (inMinute.length >= limit.perMinute)
      return refusal('minute', limit.perMinute, inMinute, MINUTE_MS, now);
    if (calls.length >= limit.perHour) return refusal('hour', limit.perHour, calls, HOUR_MS, now);
    calls.push(now);
    return undefined;
  }
}

function refusal(
  window: 'minute' | 'hour',
  limit: number,
  calls: number[],
  spanMs: number,
  now: number,
): QuotaRefusal {
  // The call that frees a slot is the oldest one still inside the window.
  const oldest = calls[calls.length - limit] ?? now;
  return {
    window,
    limit,
    retryAfterSeconds: Math.max(1, Math.ceil((oldest + spanMs - now) / 1000)),
  };
}

/** The message of a 429 body, in the form real advanced-hunting bodies use (issue #4616). */
export function quotaMessage(refusal: QuotaRefusal): string {
  return `API calls quota exceeded! maximum allowed ${refusal.limit} per ${refusal.window === 'minute' ? '00:01:00' : '01:00:00'}`;
}
