/**
 * The run history and status columns of the runner database. A run is recorded as `running`
 * when it starts and completed with its summary; a due run that found the previous one still
 * going is recorded as `skipped` with the reason, so the history explains every gap.
 */
import type { RunSummary } from '../sync/types.ts';
import type { RunnerDatabase } from './runner-db.ts';
import type { ErrorCategory, RunRecord, RunRecordOutcome, RunTrigger } from './types.ts';

interface RunRow {
  id: number;
  connection: string;
  configuration: string;
  run_id: string | null;
  trigger: RunTrigger;
  outcome: RunRecordOutcome;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  reason: string | null;
  error_code: string | null;
  summary_json: string | null;
}

const SELECT_RUNS = `SELECT r.*, c.name AS configuration, n.name AS connection
  FROM runs r JOIN configurations c ON c.id = r.configuration_id JOIN connections n ON n.id = c.connection_id`;

/** Writes and reads run records and the status columns of configurations. */
export class RunHistory {
  constructor(private readonly db: RunnerDatabase) {}

  /** Records the start of a run and returns its record id. */
  start(configurationId: number, trigger: RunTrigger, at: Date): number {
    const result = this.db
      .prepare(
        `INSERT INTO runs (configuration_id, trigger, outcome, started_at) VALUES (?, ?, 'running', ?)`,
      )
      .run(configurationId, trigger, at.toISOString());
    return Number(result.lastInsertRowid);
  }

  /** Completes a run with the sync summary. */
  finish(recordId: number, summary: RunSummary): void {
    this.db
      .prepare(
        `UPDATE runs SET run_id = ?, outcome = ?, finished_at = ?, duration_ms = ?, reason = ?, error_code = ?, summary_json = ?
         WHERE id = ?`,
      )
      .run(
        summary.runId,
        summary.outcome,
        summary.finishedAt,
        summary.durationMs,
        summary.reason ?? null,
        summary.errorCode ?? null,
        JSON.stringify(summary),
        recordId,
      );
  }

  /** Completes a run that threw before it could produce a summary. */
  fail(recordId: number, at: Date, startedAt: Date, code: string, reason: string): void {
    this.db
      .prepare(
        `UPDATE runs SET outcome = 'failed', finished_at = ?, duration_ms = ?, reason = ?, error_code = ? WHERE id = ?`,
      )
      .run(at.toISOString(), at.getTime() - startedAt.getTime(), reason, code, recordId);
  }

  /** Notes a due run that was not started because the previous one was still going. */
  noteSkipped(configurationId: number, trigger: RunTrigger, at: Date, reason: string): void {
    const iso = at.toISOString();
    this.db
      .prepare(
        `INSERT INTO runs (configuration_id, trigger, outcome, started_at, finished_at, duration_ms, reason)
         VALUES (?, ?, 'skipped', ?, ?, 0, ?)`,
      )
      .run(configurationId, trigger, iso, iso, reason);
  }

  /** Runs left `running` by a process that stopped; called once at start. */
  closeInterrupted(at: Date): number {
    return this.db
      .prepare(
        `UPDATE runs SET outcome = 'failed', finished_at = ?, reason = 'the service stopped while this run was going; the checkpoint was kept'
         WHERE outcome = 'running'`,
      )
      .run(at.toISOString()).changes;
  }

  /** Newest first, optionally for one connection and configuration. */
  list(filter: { connection?: string; configuration?: string; limit: number }): RunRecord[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.connection !== undefined) {
      where.push('n.name = ?');
      params.push(filter.connection);
    }
    if (filter.configuration !== undefined) {
      where.push('c.name = ?');
      params.push(filter.configuration);
    }
    const clause = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`${SELECT_RUNS}${clause} ORDER BY r.id DESC LIMIT ?`)
      .all(...params, filter.limit) as RunRow[];
    return rows.map(toRecord);
  }

  /** A first completed import makes the configuration connected and clears any error. */
  markSuccess(configurationId: number, at: Date): void {
    const iso = at.toISOString();
    this.db
      .prepare(
        `UPDATE configurations SET first_import_at = COALESCE(first_import_at, ?), last_success_at = ?,
           error_category = NULL, error_code = NULL, error_message = NULL WHERE id = ?`,
      )
      .run(iso, iso, configurationId);
  }

  markError(configurationId: number, category: ErrorCategory, code: string, message: string): void {
    this.db
      .prepare(
        `UPDATE configurations SET error_category = ?, error_code = ?, error_message = ? WHERE id = ?`,
      )
      .run(category, code, message, configurationId);
  }

  /** A passing connection check clears an error but never marks a first import. */
  markCheck(configurationId: number, at: Date, isOk: boolean): void {
    const clear = isOk ? ', error_category = NULL, error_code = NULL, error_message = NULL' : '';
    this.db
      .prepare(`UPDATE configurations SET last_check_at = ?${clear} WHERE id = ?`)
      .run(at.toISOString(), configurationId);
  }
}

function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    connection: row.connection,
    configuration: row.configuration,
    runId: row.run_id,
    trigger: row.trigger,
    outcome: row.outcome,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    reason: row.reason,
    errorCode: row.error_code,
    summary: row.summary_json ? (JSON.parse(row.summary_json) as RunSummary) : null,
  };
}
