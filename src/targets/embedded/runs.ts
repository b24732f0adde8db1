/**
 * Run history, checkpoints and per-source state (CAR's `model_state_id` and the open
 * full-import session) in the embedded store. A run left `running` by a crash is marked
 * `failed` (reason `interrupted`) when the next run of its source begins.
 */
import type { Database } from 'better-sqlite3';
import { hostname } from 'node:os';
import { StoreError } from '../../errors.ts';
import type { Checkpoint, FinishRun, RunStart, StoredRun } from '../target.ts';

interface RunRow {
  run_id: string;
  source: string;
  mode: StoredRun['mode'];
  outcome: StoredRun['outcome'];
  started_at: string;
  finished_at: string | null;
  summary: string | null;
}

/** Runs, checkpoints and source state over one database handle. */
export class RunLedger {
  constructor(private readonly db: Database) {}

  /**
   * Records a run as `running`. An earlier run of the source still `running` whose process is
   * alive on this host is another sync writing now: the run is refused with STORE_BUSY. Any
   * other (its process died) becomes failed, reason `interrupted`; returns how many did.
   */
  begin(run: RunStart): number {
    return this.db.transaction(() => {
      const running = this.db
        .prepare(
          `SELECT run_id, started_at, owner FROM runs WHERE source = ? AND outcome = 'running'`,
        )
        .all(run.source) as { run_id: string; started_at: string; owner: string | null }[];
      for (const other of running) {
        const owner = parseOwner(other.owner);
        if (owner && isAnotherLiveProcess(owner)) {
          throw new StoreError(
            `another sync of ${run.source} (run ${other.run_id}, process ${owner.pid}, started ` +
              `${other.started_at}) is writing to this store; wait for it to finish, or stop that process`,
            { code: 'STORE_BUSY', details: { runId: other.run_id, pid: owner.pid } },
          );
        }
      }
      const interrupted = this.db
        .prepare(
          `UPDATE runs SET outcome = 'failed', finished_at = ?,
             summary = json_set(coalesce(summary, '{}'), '$.reason', 'interrupted')
           WHERE source = ? AND outcome = 'running'`,
        )
        .run(run.startedAt.toISOString(), run.source).changes;
      this.db
        .prepare(
          `INSERT INTO runs (run_id, source, mode, outcome, started_at, report_key, owner)
           VALUES (?, ?, ?, 'running', ?, ?, ?)`,
        )
        .run(
          run.runId,
          run.source,
          run.mode,
          run.startedAt.toISOString(),
          run.reportKey,
          JSON.stringify({ pid: process.pid, host: hostname() }),
        );
      return interrupted;
    })();
  }

  /** Stores the outcome and summary, and the checkpoint when one is given, atomically. */
  finish(run: RunStart, finish: FinishRun, finishedAt: Date): void {
    this.db.transaction(() => {
      this.db
        .prepare(`UPDATE runs SET outcome = ?, finished_at = ?, summary = ? WHERE run_id = ?`)
        .run(finish.outcome, finishedAt.toISOString(), JSON.stringify(finish.summary), run.runId);
      if (finish.checkpoint) this.putCheckpoint(finish.checkpoint);
    })();
  }

  /** Newest first. */
  list(source: string, limit: number): StoredRun[] {
    const rows = this.db
      .prepare(
        `SELECT run_id, source, mode, outcome, started_at, finished_at, summary FROM runs
         WHERE source = ? ORDER BY started_at DESC, rowid DESC LIMIT ?`,
      )
      .all(source, Math.max(0, Math.trunc(limit))) as RunRow[];
    return rows.map(toStoredRun);
  }

  getCheckpoint(source: string): Checkpoint | undefined {
    const row = this.db.prepare(`SELECT data FROM checkpoints WHERE source = ?`).get(source) as
      { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Checkpoint) : undefined;
  }

  putCheckpoint(checkpoint: Checkpoint): void {
    this.db
      .prepare(
        `INSERT INTO checkpoints (source, data, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (source) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
      )
      .run(checkpoint.source, JSON.stringify(checkpoint), checkpoint.updatedAt);
  }

  getModelState(source: string): string | undefined {
    const row = this.db.prepare(`SELECT model_state FROM sources WHERE source = ?`).get(source) as
      { model_state: string | null } | undefined;
    return row?.model_state ?? undefined;
  }

  setModelState(source: string, value: string): void {
    this.db
      .prepare(
        `INSERT INTO sources (source, model_state) VALUES (?, ?)
         ON CONFLICT (source) DO UPDATE SET model_state = excluded.model_state`,
      )
      .run(source, value);
  }

  /** The open full-import session of a source, if any. */
  getSession(source: string): string | undefined {
    const row = this.db.prepare(`SELECT session_id FROM sources WHERE source = ?`).get(source) as
      { session_id: string | null } | undefined;
    return row?.session_id ?? undefined;
  }

  setSession(source: string, sessionId: string | null): void {
    this.db
      .prepare(
        `INSERT INTO sources (source, session_id) VALUES (?, ?)
         ON CONFLICT (source) DO UPDATE SET session_id = excluded.session_id`,
      )
      .run(source, sessionId);
  }
}

function toStoredRun(row: RunRow): StoredRun {
  const run: StoredRun = {
    runId: row.run_id,
    source: row.source,
    mode: row.mode,
    outcome: row.outcome,
    startedAt: row.started_at,
  };
  if (row.finished_at !== null) run.finishedAt = row.finished_at;
  if (row.summary !== null) run.summary = JSON.parse(row.summary) as Record<string, unknown>;
  return run;
}

interface RunOwner {
  pid: number;
  host: string;
}

function parseOwner(text: string | null): RunOwner | undefined {
  if (text === null) return undefined;
  try {
    const owner = JSON.parse(text) as Partial<RunOwner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string'
      ? { pid: owner.pid, host: owner.host }
      : undefined;
  } catch {
    return undefined; // Handled: an unreadable owner is treated as a process that is gone.
  }
}

/**
 * True for a process on this host, other than this one, that is still running. A run of this
 * process left `running` was cut short by an error in this process, so it is not a rival.
 * Limitation: a run recorded on another host, or whose PID was reused, is judged by this host's
 * view alone.
 */
function isAnotherLiveProcess(owner: RunOwner): boolean {
  if (owner.host !== hostname() || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
