/**
 * The schedule of one job per configuration: a run at once, then one every interval, measured
 * from when each run was due (not when it ended) so the cadence does not drift. A run still
 * going when the next is due is not started twice: that run is skipped and reported through
 * `onSkip`. A run may ask for an earlier retry (a deferred sync's `resumeAfter`).
 */
import type { Clock, TimerHandle } from './clock.ts';
import type { RunTrigger } from './types.ts';

/** What a run tells the scheduler: when to try again before the regular cadence, if at all. */
export interface TaskResult {
  resumeAt?: Date;
}

export type ScheduledTask = (trigger: RunTrigger) => Promise<TaskResult>;

interface Job {
  intervalMs: number;
  task: ScheduledTask;
  timer: TimerHandle | undefined;
  nextAt: Date | undefined;
  nextTrigger: RunTrigger;
  running: Promise<void> | undefined;
}

export interface SchedulerOptions {
  clock: Clock;
  /** Called when a due run is skipped because the previous run of the job is still going. */
  onSkip: (key: string, trigger: RunTrigger, at: Date) => void;
  /** Called when a task throws; tasks are expected to record their own failures. */
  onTaskError: (key: string, err: unknown) => void;
}

/** Runs keyed jobs on their cadence, never two runs of one job at once. */
export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private isStopped = false;

  constructor(private readonly options: SchedulerOptions) {}

  /**
   * Adds or replaces a job. A new job runs at once (or after `firstDelayMs`); a replaced one
   * keeps its next due time and takes the new interval from its next run on.
   */
  set(
    key: string,
    intervalMs: number,
    task: ScheduledTask,
    options: { firstDelayMs?: number } = {},
  ): void {
    const existing = this.jobs.get(key);
    if (existing) {
      existing.intervalMs = intervalMs;
      existing.task = task;
      return;
    }
    const job: Job = {
      intervalMs,
      task,
      timer: undefined,
      nextAt: undefined,
      nextTrigger: 'start',
      running: undefined,
    };
    this.jobs.set(key, job);
    const firstAt = new Date(this.options.clock.now().getTime() + (options.firstDelayMs ?? 0));
    this.arm(key, job, firstAt, options.firstDelayMs ? 'schedule' : 'start');
  }

  remove(key: string): void {
    const job = this.jobs.get(key);
    if (!job) return;
    this.options.clock.clearTimeout(job.timer);
    this.jobs.delete(key);
  }

  isRunning(key: string): boolean {
    return this.jobs.get(key)?.running !== undefined;
  }

  nextRunAt(key: string): Date | undefined {
    return this.jobs.get(key)?.nextAt;
  }

  /** Starts a run now, outside the cadence; false when one is already going. */
  runNow(key: string): boolean {
    const job = this.jobs.get(key);
    if (!job || job.running) return false;
    this.launch(key, job, 'manual');
    return true;
  }

  /** Stops all timers and waits for runs in progress to end. */
  async stop(): Promise<void> {
    this.isStopped = true;
    const running: Promise<void>[] = [];
    for (const job of this.jobs.values()) {
      this.options.clock.clearTimeout(job.timer);
      if (job.running) running.push(job.running);
    }
    await Promise.all(running);
  }

  private arm(key: string, job: Job, at: Date, trigger: RunTrigger): void {
    this.options.clock.clearTimeout(job.timer);
    if (this.isStopped) return;
    job.nextAt = at;
    job.nextTrigger = trigger;
    const delayMs = at.getTime() - this.options.clock.now().getTime();
    job.timer = this.options.clock.setTimeout(() => this.fire(key, job), delayMs);
  }

  private fire(key: string, job: Job): void {
    if (this.jobs.get(key) !== job) return;
    const dueAt = job.nextAt ?? this.options.clock.now();
    const trigger = job.nextTrigger;
    this.arm(key, job, new Date(dueAt.getTime() + job.intervalMs), 'schedule');

    if (job.running) {
      this.options.onSkip(key, trigger, this.options.clock.now());
      return;
    }
    this.launch(key, job, trigger);
  }

  private launch(key: string, job: Job, trigger: RunTrigger): void {
    job.running = job
      .task(trigger)
      .then((result) => this.afterRun(key, job, result))
      .catch((err: unknown) => this.options.onTaskError(key, err))
      .finally(() => {
        job.running = undefined;
      });
  }

  private afterRun(key: string, job: Job, result: TaskResult): void {
    if (this.jobs.get(key) !== job || !result.resumeAt) return;
    // A deferred run resumes when the service allows, unless the regular cadence comes first.
    if (job.nextAt && result.resumeAt.getTime() >= job.nextAt.getTime()) return;
    this.arm(key, job, result.resumeAt, 'resume');
  }
}
