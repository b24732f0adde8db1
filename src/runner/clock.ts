/**
 * The time source of the runner: the current instant plus one-shot timers, injectable so
 * tests drive the schedule with a fake clock instead of waiting.
 */

export type TimerHandle = unknown;

/** Now and one-shot timers. */
export interface Clock {
  now(): Date;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

// Node caps timer delays at 2^31-1 ms (about 24.8 days); longer ones would fire at once.
const MAX_TIMER_MS = 2_147_483_647;

/** The real clock. Timers are unref'd so a pending schedule never keeps a process alive alone. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout(callback, delayMs) {
    const timer = setTimeout(callback, Math.min(Math.max(0, delayMs), MAX_TIMER_MS));
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
