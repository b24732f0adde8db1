import { describe, expect, it } from 'vitest';
import { Scheduler, type TaskResult } from '../../../src/runner/scheduler.ts';
import type { RunTrigger } from '../../../src/runner/types.ts';
import { FakeClock } from './fake-clock.ts';

const MINUTE = 60_000;

function deferred(): { promise: Promise<TaskResult>; resolve: (r: TaskResult) => void } {
  let resolve: (r: TaskResult) => void = () => undefined;
  const promise = new Promise<TaskResult>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function setup() {
  const clock = new FakeClock();
  const skipped: { key: string; trigger: RunTrigger; at: string }[] = [];
  const scheduler = new Scheduler({
    clock,
    onSkip: (key, trigger, at) => skipped.push({ key, trigger, at: at.toISOString() }),
    onTaskError: (_key, err) => {
      throw err;
    },
  });
  return { clock, skipped, scheduler };
}

describe('scheduler', () => {
  it('runs a new job at once and then every interval', async () => {
    const { clock, scheduler } = setup();
    const runs: { trigger: RunTrigger; at: string }[] = [];
    scheduler.set('a', 15 * MINUTE, async (trigger) => {
      runs.push({ trigger, at: clock.now().toISOString() });
      return {};
    });
    await clock.advance(31 * MINUTE);
    expect(runs).toEqual([
      { trigger: 'start', at: '2026-01-01T00:00:00.000Z' },
      { trigger: 'schedule', at: '2026-01-01T00:15:00.000Z' },
      { trigger: 'schedule', at: '2026-01-01T00:30:00.000Z' },
    ]);
    await scheduler.stop();
  });

  it('never starts a second run of a job while one is going, and notes the skipped one', async () => {
    const { clock, scheduler, skipped } = setup();
    const pending = deferred();
    let started = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    scheduler.set('a', 10 * MINUTE, async () => {
      started += 1;
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      const result = started === 1 ? await pending.promise : {};
      concurrent -= 1;
      return result;
    });
    await clock.advance(25 * MINUTE);
    expect(started).toBe(1);
    expect(skipped).toEqual([
      { key: 'a', trigger: 'schedule', at: '2026-01-01T00:10:00.000Z' },
      { key: 'a', trigger: 'schedule', at: '2026-01-01T00:20:00.000Z' },
    ]);
    expect(scheduler.runNow('a')).toBe(false);

    pending.resolve({});
    await clock.advance(5 * MINUTE);
    expect(started).toBe(2);
    expect(maxConcurrent).toBe(1);
    await scheduler.stop();
  });

  it('schedules a deferred run to resume at resumeAfter, before the regular cadence', async () => {
    const { clock, scheduler } = setup();
    const runs: { trigger: RunTrigger; at: string }[] = [];
    scheduler.set('a', 60 * MINUTE, async (trigger) => {
      runs.push({ trigger, at: clock.now().toISOString() });
      return runs.length === 1 ? { resumeAt: new Date(clock.now().getTime() + 7 * MINUTE) } : {};
    });
    await clock.advance(8 * MINUTE);
    expect(runs).toEqual([
      { trigger: 'start', at: '2026-01-01T00:00:00.000Z' },
      { trigger: 'resume', at: '2026-01-01T00:07:00.000Z' },
    ]);
    expect(scheduler.nextRunAt('a')?.toISOString()).toBe('2026-01-01T01:07:00.000Z');
    await scheduler.stop();
  });

  it('starts a manual run outside the cadence without moving the next due time', async () => {
    const { clock, scheduler } = setup();
    const triggers: RunTrigger[] = [];
    scheduler.set('a', 30 * MINUTE, async (trigger) => {
      triggers.push(trigger);
      return {};
    });
    await clock.advance(MINUTE);
    expect(scheduler.runNow('a')).toBe(true);
    await clock.advance(MINUTE);
    expect(triggers).toEqual(['start', 'manual']);
    expect(scheduler.nextRunAt('a')?.toISOString()).toBe('2026-01-01T00:30:00.000Z');
    await scheduler.stop();
  });

  it('stops firing a job once it is removed', async () => {
    const { clock, scheduler } = setup();
    let runs = 0;
    scheduler.set('a', MINUTE, async () => {
      runs += 1;
      return {};
    });
    await clock.advance(0);
    scheduler.remove('a');
    await clock.advance(10 * MINUTE);
    expect(runs).toBe(1);
    expect(clock.pending()).toBe(0);
  });
});
