/**
 * Run history, checkpoints and per-source state (CAR's `model_state_id` and the open
 * full-import session) in the embedded store. A run left `running` by a crash is marked
 * `failed` (reason `interrupted`) when the next run of its source begins.
 */
import type { Database } from 'better-sqlite3';
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

  /** Records a run as `running`; earlier runs of the source still `running` become failed. */
  begin(run: RunStart): number {
    return this.db.transaction(() => {
      const interrupted = this.db
        .prepare(
          `UPDATE runs SET outcome = 'failed', finished_at = ?,
             summary = json_set(coalesce(summary, '{}'), '$.reason', 'interrupted')
           WHERE source = ? AND outcome = 'running'`,
        )
        .run(run.startedAt.toISOString(), run.source).changes;
      this.db
        .prepare(
          `INSERT INTO runs (run_id, source, mode, outcome, started_at, report_key)
           VALUES (?, ?, ?, 'running', ?, ?)`,
        )
        .run(run.runId, run.source, run.mode, run.startedAt.toISOString(), run.reportKey);
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
