/**
 * Asynchronous jobs of the CAR emulator. CAR answers an import or a database change at once
 * with an id and does the work later (car-service.md §1.2); the emulator does the same: work
 * runs one job at a time after `delayMs`, and the status moves from INPROGRESS to COMPLETE or
 * ERROR. Jobs live in memory, so after a restart every old id is unknown, as on a new CAR pod.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';

export type JobState = 'INPROGRESS' | 'COMPLETE' | 'ERROR';

export interface Job {
  id: string;
  kind: 'import' | 'job';
  state: JobState;
  error?: string;
  statusCode?: number;
}

/** Oldest finished jobs are forgotten beyond this count, so a long demo does not grow forever. */
const MAX_KEPT_JOBS = 50_000;

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly delayMs: number,
    private readonly logger: Logger,
  ) {}

  /** Registers a job and schedules `work`; a throw ends the job in ERROR with its message. */
  submit(kind: Job['kind'], label: string, work: () => void | Promise<void>): Job {
    const job: Job = { id: `${randomUUID()}-${label}`, kind, state: 'INPROGRESS' };
    this.remember(job);
    this.queue = this.queue.then(async () => {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      try {
        await work();
        job.state = 'COMPLETE';
      } catch (err) {
        job.state = 'ERROR';
        job.error = err instanceof Error ? err.message : String(err);
        job.statusCode = 400;
        this.logger.warn({ jobId: job.id, err }, 'car emulator job failed');
      }
    });
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Drops a job, so its id reads as not found (fault injection). */
  forget(id: string): void {
    this.jobs.delete(id);
  }

  /** Resolves once every submitted job has finished. */
  async drain(): Promise<void> {
    await this.queue;
  }

  private remember(job: Job): void {
    this.jobs.set(job.id, job);
    if (this.jobs.size <= MAX_KEPT_JOBS) return;
    for (const [id, old] of this.jobs) {
      if (old.state !== 'INPROGRESS') {
        this.jobs.delete(id);
        return;
      }
    }
  }
}
