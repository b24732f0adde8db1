/**
 * The simulated clock. It stands still unless advanced, so runs are repeatable; advancing it
 * changes the tenant (tenant/advance.ts) and moves the token clock by the same amount, so
 * tokens issued before the jump expire as they would have.
 */
import { advanceTenant, type AdvanceSummary } from './tenant/advance.ts';
import type { Tenant } from './tenant/tenant.ts';

/** The default start instant: fixed so two runs with the same seed serve the same data. */
export const DEFAULT_START_TIME = new Date('2025-06-02T12:00:00.000Z');

export class SimClock {
  private simMs: number;
  private advancedMs = 0;

  constructor(
    start: Date,
    private readonly tenant: Tenant,
  ) {
    this.simMs = start.getTime();
  }

  now(): Date {
    return new Date(this.simMs);
  }

  nowMs(): number {
    return this.simMs;
  }

  /** Wall clock plus every advance: the time tokens are issued and checked against. */
  authNowMs(): number {
    return Date.now() + this.advancedMs;
  }

  /** Moves the clock forward `ms` and applies the tenant changes of that interval. */
  advance(ms: number): AdvanceSummary {
    const from = this.simMs;
    const step = Math.max(0, Math.floor(ms));
    this.simMs += step;
    this.advancedMs += step;
    return advanceTenant(this.tenant, from, this.simMs);
  }
}
