/**
 * One scheduled sync of one configuration, and one connection check: build the sync
 * configuration from the store, run it, record the outcome in the history and the status.
 * Every failure ends here as a history line and a status, never as an unhandled rejection.
 */
import type { AppConfig, DefenderConfiguration } from '../config/types.ts';
import type { Logger } from '../log.ts';
import type { RunSummary } from '../sync/types.ts';
import { toAppConfig } from './app-config.ts';
import type { Clock } from './clock.ts';
import type { ConnectionStore } from './connection-store.ts';
import type { RunHistory } from './run-history.ts';
import type { TaskResult } from './scheduler.ts';
import { categoryForCode, describeFailure } from './status.ts';
import type { RunTrigger } from './types.ts';

/** What a sync or check implementation receives. */
export interface JobInput {
  config: AppConfig;
  configuration: DefenderConfiguration;
  logger: Logger;
  now: () => Date;
}

/** Runs one sync (normally `createTarget` + `runSync`); resolves to the run summary. */
export type SyncJobFn = (input: JobInput) => Promise<RunSummary>;

/** The outcome of a connection check (token plus one cheap call). */
export interface CheckResult {
  ok: boolean;
  /** A sentence for the status line, e.g. the check's verdict. */
  message: string;
  errorCode?: string;
}

export type CheckJobFn = (input: JobInput) => Promise<CheckResult>;

export interface JobContext {
  store: ConnectionStore;
  history: RunHistory;
  clock: Clock;
  logger: Logger;
  graphDbPath: string;
  /**
   * The logger a sync or check is handed, without the runner's own `component`: the sync
   * names its component itself, and a log line must not carry the key twice.
   */
  jobLogger: Logger;
  sync: SyncJobFn;
  check: CheckJobFn;
  onRunFinished: (summary: RunSummary) => void;
  /** Runs `task` after every earlier task of the same connection (one CAR source) has ended. */
  serialise: <T>(connection: string, task: () => Promise<T>) => Promise<T>;
}

/** Loads what a job needs; undefined when the configuration was deleted meanwhile. */
function loadJob(
  ctx: JobContext,
  configurationId: number,
): { input: JobInput; connection: string; log: Logger } | undefined {
  const found = ctx.store.byConfigurationId(configurationId);
  if (!found) return undefined;
  const secret = ctx.store.readSecret(found.row);
  const { config, configuration } = toAppConfig(found.connection, found.row, secret, {
    graphDbPath: ctx.graphDbPath,
  });
  const names = { connection: found.connection.name, configuration: found.row.name };
  return {
    input: {
      config,
      configuration,
      logger: ctx.jobLogger.child(names),
      now: () => ctx.clock.now(),
    },
    connection: found.connection.name,
    log: ctx.logger.child(names),
  };
}

/** Runs and records one sync; tells the scheduler when a deferred run may resume. */
export async function runSyncJob(
  ctx: JobContext,
  configurationId: number,
  trigger: RunTrigger,
): Promise<TaskResult> {
  // A configuration deleted since this run was scheduled has nothing to run or record.
  if (!ctx.store.byConfigurationId(configurationId)) return {};
  const startedAt = ctx.clock.now();
  const recordId = ctx.history.start(configurationId, trigger, startedAt);
  let job: ReturnType<typeof loadJob>;
  try {
    job = loadJob(ctx, configurationId);
    if (!job) return {};
    job.log.info({ trigger }, 'scheduled run started');
    const input = job.input;
    const summary = await ctx.serialise(job.connection, () => ctx.sync(input));
    ctx.history.finish(recordId, summary);
    recordOutcome(ctx, configurationId, summary);
    ctx.onRunFinished(summary);
    job.log.info(
      { runId: summary.runId, outcome: summary.outcome, durationMs: summary.durationMs },
      'scheduled run finished',
    );
    return summary.outcome === 'deferred' && summary.resumeAfter
      ? { resumeAt: new Date(summary.resumeAfter) }
      : {};
  } catch (err) {
    const failure = describeFailure(err);
    ctx.history.fail(recordId, ctx.clock.now(), startedAt, failure.code, failure.message);
    ctx.history.markError(configurationId, failure.category, failure.code, failure.message);
    (job?.log ?? ctx.logger).error({ err, trigger }, 'scheduled run failed');
    return {};
  }
}

function recordOutcome(ctx: JobContext, configurationId: number, summary: RunSummary): void {
  if (summary.outcome === 'ok') {
    ctx.history.markSuccess(configurationId, new Date(summary.finishedAt));
    return;
  }
  if (summary.outcome === 'deferred') {
    const message = `throttled by Defender; the run resumes after ${summary.resumeAfter ?? 'the next due time'}`;
    ctx.history.markError(
      configurationId,
      'throttled',
      summary.errorCode ?? 'MDE_DEFERRED',
      message,
    );
    return;
  }
  const code = summary.errorCode ?? 'SYNC_FAILED';
  const message = summary.reason ?? `the run ended ${summary.outcome}`;
  ctx.history.markError(configurationId, categoryForCode(code), code, message);
}

/** Runs one connection check and records it in the status. */
export async function runCheckJob(ctx: JobContext, configurationId: number): Promise<TaskResult> {
  let job: ReturnType<typeof loadJob>;
  try {
    job = loadJob(ctx, configurationId);
    if (!job) return {};
    const result = await ctx.check(job.input);
    ctx.history.markCheck(configurationId, ctx.clock.now(), result.ok);
    if (!result.ok) {
      const code = result.errorCode ?? 'MDE_FORBIDDEN';
      ctx.history.markError(configurationId, categoryForCode(code), code, result.message);
      job.log.warn({ errorCode: code }, 'connection check failed');
    }
  } catch (err) {
    const failure = describeFailure(err);
    ctx.history.markCheck(configurationId, ctx.clock.now(), false);
    ctx.history.markError(configurationId, failure.category, failure.code, failure.message);
    (job?.log ?? ctx.logger).warn({ err }, 'connection check failed');
  }
  return {};
}
