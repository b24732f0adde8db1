/**
 * The runner: connections and configurations with their schedule and status (DESIGN.md §8).
 * Every configuration has a sync job (at once, then every `frequencyMinutes`) and a connection
 * check job (every `checkIntervalMinutes`). Edits go through validation, then the store, then
 * the schedule, so the schedule always mirrors what is stored.
 */
import { join } from 'node:path';
import { ConnectorError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { RunSummary } from '../sync/types.ts';
import { systemClock, type Clock } from './clock.ts';
import { ConnectionStore } from './connection-store.ts';
import { RunHistory } from './run-history.ts';
import { openRunnerDb, type RunnerDatabase } from './runner-db.ts';
import {
  runCheckJob,
  runSyncJob,
  type CheckJobFn,
  type JobContext,
  type SyncJobFn,
} from './run-job.ts';
import { Scheduler } from './scheduler.ts';
import { toConnectionConfig } from './config-bridge.ts';
import { rowToInput } from './app-config.ts';
import { createSecretBox } from './secret-box.ts';
import { configurationStatus, worstStatus } from './status.ts';
import { validateConfigurationInput, validateConnectionInput } from './validation.ts';
import type { ConfigurationView, ConnectionStatus, ConnectionView, RunRecord } from './types.ts';

/** How often a configuration's connection is checked between syncs, by default. */
export const DEFAULT_CHECK_INTERVAL_MINUTES = 5;
const MS_PER_MINUTE = 60_000;

export interface RunnerOptions {
  /** Holds `connections.db` unless `dbPath` says otherwise. */
  dataDir: string;
  dbPath?: string;
  /** The embedded graph store every connection writes to. */
  graphDbPath: string;
  /** 32-byte key that seals client secrets (see secret-box.ts). */
  secretKey: Buffer;
  logger: Logger;
  sync: SyncJobFn;
  check: CheckJobFn;
  clock?: Clock;
  checkIntervalMinutes?: number;
}

/** Connections, configurations, schedule and status in one object the server drives. */
export class Runner {
  readonly store: ConnectionStore;
  private readonly db: RunnerDatabase;
  private readonly history: RunHistory;
  private readonly syncs: Scheduler;
  private readonly checks: Scheduler;
  private readonly ctx: JobContext;
  private readonly clock: Clock;
  private readonly checkIntervalMs: number;
  private readonly listeners: ((summary: RunSummary) => void)[] = [];
  private readonly queues = new Map<string, Promise<unknown>>();
  private isStarted = false;

  constructor(private readonly options: RunnerOptions) {
    this.clock = options.clock ?? systemClock;
    this.db = openRunnerDb(options.dbPath ?? join(options.dataDir, 'connections.db'));
    this.store = new ConnectionStore(this.db, createSecretBox(options.secretKey), () =>
      this.clock.now(),
    );
    this.history = new RunHistory(this.db);
    this.checkIntervalMs =
      (options.checkIntervalMinutes ?? DEFAULT_CHECK_INTERVAL_MINUTES) * MS_PER_MINUTE;
    const logger = options.logger.child({ component: 'runner' });
    this.ctx = {
      store: this.store,
      history: this.history,
      clock: this.clock,
      logger,
      jobLogger: options.logger,
      graphDbPath: options.graphDbPath,
      sync: options.sync,
      check: options.check,
      onRunFinished: (summary) => this.listeners.forEach((listener) => listener(summary)),
      serialise: (connection, task) => this.serialise(connection, task),
    };
    const onTaskError = (key: string, err: unknown) =>
      logger.error({ err, key }, 'scheduled task failed');
    this.syncs = new Scheduler({
      clock: this.clock,
      onTaskError,
      onSkip: (key, trigger, at) => this.noteSkipped(Number(key), trigger, at),
    });
    // A check due while the previous check still runs is simply dropped: nothing to record.
    this.checks = new Scheduler({ clock: this.clock, onTaskError, onSkip: () => undefined });
  }

  /** Schedules every stored configuration; runs left `running` by a stopped process are closed. */
  start(): void {
    if (this.isStarted) return;
    this.isStarted = true;
    this.history.closeInterrupted(this.clock.now());
    for (const { row } of this.store.allConfigurationRows()) this.schedule(row.id);
  }

  /** Stops the schedule, waits for runs in progress, and closes the database. */
  async stop(): Promise<void> {
    await Promise.all([this.syncs.stop(), this.checks.stop()]);
    this.db.close();
  }

  /** Subscribes to finished runs (metrics). */
  onRunFinished(listener: (summary: RunSummary) => void): void {
    this.listeners.push(listener);
  }

  listConnections(): ConnectionView[] {
    return this.store.list();
  }

  getConnection(name: string): ConnectionView {
    return this.store.get(name);
  }

  createConnection(input: unknown): ConnectionView {
    return this.store.create(validateConnectionInput(input));
  }

  updateConnection(name: string, input: unknown): ConnectionView {
    const valid = validateConnectionInput({ name, ...asRecord(input) });
    // The new connection settings must still suit every configuration it holds.
    for (const view of this.store.get(name).configurations) {
      toConnectionConfig(valid, rowToInput(this.store.configurationRow(name, view.name)));
    }
    const updated = this.store.update(name, valid);
    for (const configuration of updated.configurations) this.schedule(configuration.id);
    return updated;
  }

  deleteConnection(name: string): void {
    const connection = this.store.get(name);
    this.store.delete(name);
    for (const configuration of connection.configurations) this.unschedule(configuration.id);
  }

  getConfiguration(connection: string, name: string): ConfigurationView {
    return this.store.getConfiguration(connection, name);
  }

  createConfiguration(connection: string, input: unknown): ConfigurationView {
    const parent = this.store.get(connection);
    const valid = validateConfigurationInput(input, { hasStoredSecret: false });
    toConnectionConfig(parent, valid);
    const created = this.store.createConfiguration(connection, valid);
    this.schedule(created.id);
    return created;
  }

  updateConfiguration(connection: string, name: string, input: unknown): ConfigurationView {
    const row = this.store.configurationRow(connection, name);
    const valid = validateConfigurationInput(
      { name, ...asRecord(input) },
      { hasStoredSecret: row.client_secret_sealed !== '' },
    );
    toConnectionConfig(this.store.get(connection), valid);
    const updated = this.store.updateConfiguration(connection, name, valid);
    this.schedule(updated.id);
    return updated;
  }

  deleteConfiguration(connection: string, name: string): void {
    const row = this.store.configurationRow(connection, name);
    this.store.deleteConfiguration(connection, name);
    this.unschedule(row.id);
  }

  /** Status of every connection, each with its configurations. */
  status(): ConnectionStatus[] {
    return this.store.list().map((connection) => this.connectionStatus(connection.name));
  }

  connectionStatus(name: string): ConnectionStatus {
    const connection = this.store.get(name);
    const configurations = connection.configurations.map((view) => {
      const row = this.store.configurationRow(name, view.name);
      const nextAt = this.syncs.nextRunAt(String(view.id));
      return {
        ...configurationStatus(row),
        isRunning: this.syncs.isRunning(String(view.id)),
        ...(nextAt ? { nextRunAt: nextAt.toISOString() } : {}),
      };
    });
    return { connection: name, ...worstStatus(configurations), configurations };
  }

  /**
   * Starts a run of one configuration, or of every configuration of the connection, now.
   * Throws CONFLICT when a run of the named configuration is already going.
   */
  runNow(
    connection: string,
    configuration?: string,
  ): { started: string[]; alreadyRunning: string[] } {
    const targets =
      configuration === undefined
        ? this.store.get(connection).configurations
        : [this.store.getConfiguration(connection, configuration)];
    const started: string[] = [];
    const alreadyRunning: string[] = [];
    for (const view of targets) {
      this.schedule(view.id);
      (this.syncs.runNow(String(view.id)) ? started : alreadyRunning).push(view.name);
    }
    if (configuration !== undefined && started.length === 0) {
      throw new ConnectorError(
        'CONFLICT',
        `a run of ${connection}/${configuration} is already going; wait for it to finish`,
        {
          details: { connection, configuration },
        },
      );
    }
    return { started, alreadyRunning };
  }

  listRuns(filter: { connection?: string; configuration?: string; limit?: number }): RunRecord[] {
    if (filter.connection !== undefined) this.store.get(filter.connection);
    return this.history.list({ ...filter, limit: Math.min(Math.max(filter.limit ?? 50, 1), 500) });
  }

  private schedule(configurationId: number): void {
    if (!this.isStarted) return;
    const found = this.store.byConfigurationId(configurationId);
    if (!found) return;
    const key = String(configurationId);
    const intervalMs = found.connection.frequencyMinutes * MS_PER_MINUTE;
    this.syncs.set(key, intervalMs, (trigger) => runSyncJob(this.ctx, configurationId, trigger));
    this.checks.set(key, this.checkIntervalMs, () => this.checkUnlessSyncing(configurationId), {
      firstDelayMs: this.checkIntervalMs,
    });
  }

  private async checkUnlessSyncing(configurationId: number): Promise<{ resumeAt?: Date }> {
    // A sync in progress reports on the connection itself; a check beside it adds only load.
    if (this.syncs.isRunning(String(configurationId))) return {};
    return runCheckJob(this.ctx, configurationId);
  }

  /**
   * Configurations of one connection share its CAR source and checkpoint, so their runs go one
   * after another; runs of different connections go in parallel.
   */
  private serialise<T>(connection: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(connection) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    const tail = next.catch(() => undefined);
    this.queues.set(connection, tail);
    void tail.then(() => {
      if (this.queues.get(connection) === tail) this.queues.delete(connection);
    });
    return next;
  }

  private unschedule(configurationId: number): void {
    this.syncs.remove(String(configurationId));
    this.checks.remove(String(configurationId));
  }

  private noteSkipped(configurationId: number, trigger: string, at: Date): void {
    const reason = 'the previous run of this configuration was still going when this one was due';
    this.history.noteSkipped(
      configurationId,
      trigger === 'resume' ? 'resume' : 'schedule',
      at,
      reason,
    );
    this.ctx.logger.warn({ configurationId }, 'scheduled run skipped');
  }
}

function asRecord(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null && !Array.isArray(input)
    ? (input as Record<string, unknown>)
    : {};
}
