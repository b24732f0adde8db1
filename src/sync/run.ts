/**
 * The sync engine's entry (DESIGN.md §6): plan a full or incremental run (or continue a
 * deferred one), read Defender phase by phase streaming each page through map → write, then
 * deactivate, apply the lifecycle and recompute risk, and end the run with a checkpoint only
 * when every write was confirmed. Failed, cut-short and deferred runs keep the old checkpoint.
 */
import { randomUUID } from 'node:crypto';
import { ConnectorError, MdeDeferredError } from '../errors.ts';
import type { DefenderApi } from '../mde/api.ts';
import { isoUtc } from '../mde/time.ts';
import type { Checkpoint, ResumePoint, RunOutcome } from '../targets/target.ts';
import { completedCheckpoint, deferredCheckpoint } from './checkpoint.ts';
import { flushWrites, type HuntingRates, type RunContext, type RunState } from './context.ts';
import { errorCodeOf, isDeferred, reasonOf } from './errors.ts';
import { isTooEarlyToResume, planRun, type RunPlan } from './plan.ts';
import { HUNTING_PHASES, type HuntingPhase } from './queries.ts';
import { canReadMachines, graphPart, MACHINE_ROLES, planParts } from './permissions.ts';
import { applyLifecycle, deactivateUnreported, recomputeRisk } from './phases/finalize.ts';
import { AddressMemory } from './address-memory.ts';
import { RiskLedger } from './risk-ledger.ts';
import { RecentMachines, type SyncCheckpoint } from './recent-machines.ts';
import { runReadPhases } from './steps.ts';
import { emptyStats, summaryLogFields, SummaryBuilder } from './summary.ts';
import type { RunSummary, RunSyncOptions } from './types.ts';

/**
 * Runs one sync and resolves to its summary, whatever the outcome. It rejects only when the
 * target cannot start or end the run (store busy or broken).
 */
export async function runSync(options: RunSyncOptions): Promise<RunSummary> {
  const now = options.now ?? (() => new Date());
  const source = options.config.connection.name;
  const checkpoint = await options.target.getCheckpoint(source);
  const requested = options.config.sync.forceFull ? 'full' : (options.mode ?? 'auto');
  const plan = planRun(checkpoint, requested, now(), options.config.sync);
  if (plan.resume && isTooEarlyToResume(plan.resume, now())) {
    return notYetSummary(options, plan.resume, now());
  }

  const api = options.api ?? (await buildClient(options));
  try {
    return await runPlanned(options, api, checkpoint, plan, now);
  } finally {
    if (!options.api) await api.close();
  }
}

async function runPlanned(
  options: RunSyncOptions,
  api: DefenderApi,
  checkpoint: Checkpoint | undefined,
  plan: RunPlan,
  now: () => Date,
): Promise<RunSummary> {
  const runId = randomUUID();
  const startedAt = now();
  const ctx = createContext(options, api, checkpoint, plan, runId, startedAt, now);
  const log = ctx.log;
  log.info({ mode: plan.mode, reason: plan.reason }, 'sync run started');
  await options.target.beginRun({
    runId,
    source: options.config.connection.name,
    mode: plan.mode,
    startedAt,
    reportKey: ctx.state.reportKey,
  });

  let outcome: RunOutcome = 'ok';
  let failure: unknown;
  let stored: Checkpoint | undefined;
  try {
    await planPermissions(ctx);
    await runReadPhases(ctx, plan.resume);
    await deactivateUnreported(ctx);
    await applyLifecycle(ctx);
    await recomputeRisk(ctx);
  } catch (err) {
    failure = await settleWrites(ctx, err);
    outcome = isDeferred(failure) ? 'deferred' : ctx.hasWritten ? 'partial' : 'failed';
    if (isDeferred(failure)) stored = deferredCheckpoint(ctx, runId, asDeferred(failure), now());
  }

  const finishedAt = now();
  if (outcome === 'ok') stored = completedCheckpoint(ctx, runId, finishedAt);
  const summary = ctx.summary.finish({
    outcome,
    finishedAt,
    stats: api.stats(),
    checkpointAdvanced: outcome === 'ok',
    ...failureFields(failure),
  });
  await options.target.finishRun({
    outcome,
    ...(stored ? { checkpoint: stored } : {}),
    summary: summary as unknown as Record<string, unknown>,
  });
  logFinished(ctx, summary, failure);
  return summary;
}

/**
 * Waits for a write still in flight when a step failed. If that write failed too, it is the
 * run's failure: the run is then partial, never deferred, since a resume point would claim a
 * page the target did not confirm.
 */
async function settleWrites(ctx: RunContext, err: unknown): Promise<unknown> {
  try {
    await flushWrites(ctx);
    return err;
  } catch (writeErr) {
    ctx.log.warn({ err }, 'a read failed while the last write was failing too');
    return writeErr;
  }
}

function createContext(
  options: RunSyncOptions,
  api: DefenderApi,
  checkpoint: Checkpoint | undefined,
  plan: RunPlan,
  runId: string,
  startedAt: Date,
  now: () => Date,
): RunContext {
  const config = options.config;
  const configuration = options.configuration ?? config.connection.configurations[0];
  const state = restoreState(plan.resume, startedAt);
  const log = options.logger.child({ component: 'sync', runId });
  const summary = new SummaryBuilder({
    runId,
    source: config.connection.name,
    configuration: configuration?.name ?? 'default',
    mode: plan.mode,
    startedAt,
    statsAtStart: structuredClone(api.stats()),
  });
  return {
    api,
    target: options.target,
    config,
    log,
    mode: plan.mode,
    checkpoint,
    parts: planParts([], config.sync),
    summary,
    mapping: {
      source: config.connection.name,
      reportKey: state.reportKey,
      timestampMs: state.startedAtMs,
      includeUnmanaged: config.sync.includeUnmanaged,
      mergedInto: new Map(state.mergedInto),
      hostnames: new Map(),
      accountsSeen: new Map(),
    },
    state,
    known: new Set(state.machineIds),
    touched: new Set(state.touched),
    risk: new RiskLedger(),
    addresses: new AddressMemory(),
    recent: new RecentMachines(),
    unchanged: new Set(
      plan.mode === 'incremental'
        ? ((checkpoint as SyncCheckpoint | undefined)?.recentMachines ?? [])
        : [],
    ),
    position: { phase: 'machines' },
    previousRates: storedRates(checkpoint),
    huntingRates: {},
    now,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    hasWritten: false,
    isResumed: plan.resume !== undefined,
  };
}

/**
 * The rows per device the last runs measured, as the checkpoint keeps them; a value that is not
 * a positive number (a hand-edited or older checkpoint) is ignored.
 */
function storedRates(checkpoint: Checkpoint | undefined): HuntingRates {
  const stored = (checkpoint as SyncCheckpoint | undefined)?.huntingRowsPerDevice;
  const rates: HuntingRates = {};
  if (typeof stored !== 'object' || stored === null) return rates;
  for (const phase of Object.keys(HUNTING_PHASES) as HuntingPhase[]) {
    const rate = (stored as Record<string, unknown>)[phase];
    if (typeof rate === 'number' && Number.isFinite(rate) && rate > 0) rates[phase] = rate;
  }
  return rates;
}

/**
 * A resumed run continues the deferred run's report (same report key and timestamp), so the
 * edges written before the deferral count as reported by this run.
 */
function restoreState(resume: ResumePoint | undefined, startedAt: Date): RunState {
  const saved = resume?.state?.run as RunState | undefined;
  if (saved) return { ...saved, disabledMidRun: saved.disabledMidRun ?? [] };
  return {
    reportKey: String(startedAt.getTime()),
    startedAtMs: startedAt.getTime(),
    machineIds: [],
    machinesComplete: false,
    mergedInto: [],
    touched: [],
    disabledMidRun: [],
  };
}

/** Reads the granted roles once and turns off what they do not allow (B11). */
async function planPermissions(ctx: RunContext): Promise<void> {
  const granted = await ctx.api.grantedRoles();
  if (!canReadMachines(granted)) {
    throw new ConnectorError(
      'MDE_FORBIDDEN',
      `the application has none of the roles ${MACHINE_ROLES.join(', ')} needed to read machines; ` +
        'grant Machine.Read.All to the app registration and consent',
      { details: { granted } },
    );
  }
  ctx.parts = planParts(granted, ctx.config.sync);
  if (ctx.parts.graphUsers === 'on') await planGraphUsers(ctx);
  for (const { part, reason } of ctx.parts.disabled) ctx.summary.disable(part, reason);
  for (const part of ctx.state.disabledMidRun)
    ctx.summary.disable(part, 'turned off by a 403 earlier in this run');
  if (ctx.parts.disabled.length > 0) {
    ctx.log.warn(
      { disabled: ctx.parts.disabled },
      'sync parts turned off by permissions or configuration',
    );
  }
}

/** Reads the Graph token's roles when the client can; no Graph token turns the part off. */
async function planGraphUsers(ctx: RunContext): Promise<void> {
  const api = ctx.api as DefenderApi & { grantedGraphRoles?: () => Promise<string[]> };
  if (typeof api.grantedGraphRoles !== 'function') return;
  let roles: string[] | undefined;
  try {
    roles = await api.grantedGraphRoles();
  } catch (err) {
    // Handled: without a Graph token only the Graph users part is lost; the reason is reported.
    ctx.log.debug({ err }, 'no Microsoft Graph token');
    roles = undefined;
  }
  const verdict = graphPart(roles);
  if (verdict.ok) return;
  ctx.parts.graphUsers = 'off';
  ctx.parts.disabled.push({ part: 'graphUsers', reason: verdict.reason });
}

async function buildClient(options: RunSyncOptions): Promise<DefenderApi> {
  const configuration = options.configuration ?? options.config.connection.configurations[0];
  if (!configuration) {
    throw new ConnectorError(
      'CONFIG_INVALID',
      'the connection has no configuration; add one with tenantId, clientId and clientSecret',
    );
  }
  // Loaded on demand so callers that pass their own client never load the HTTP stack.
  const { createDefenderClient } = await import('../mde/client.ts');
  return createDefenderClient({
    configuration,
    http: options.config.http,
    ...(options.config.connection.edgeGateway
      ? { edgeGateway: options.config.connection.edgeGateway }
      : {}),
    logger: options.logger,
  });
}

/** A deferred run asked again before its `resumeAfter`: nothing is called or written. */
function notYetSummary(options: RunSyncOptions, resume: ResumePoint, at: Date): RunSummary {
  const summary = new SummaryBuilder({
    runId: resume.runId,
    source: options.config.connection.name,
    configuration:
      options.configuration?.name ?? options.config.connection.configurations[0]?.name ?? 'default',
    mode: resume.mode,
    startedAt: at,
    statsAtStart: emptyStats(),
  }).finish({
    outcome: 'deferred',
    finishedAt: at,
    stats: emptyStats(),
    checkpointAdvanced: false,
    reason: `Defender asked to wait until ${resume.resumeAfter}; the run resumes then`,
    errorCode: 'MDE_DEFERRED',
    resumeAfter: resume.resumeAfter,
  });
  options.logger.info({ resumeAfter: resume.resumeAfter }, 'sync deferred: too early to resume');
  return summary;
}

function failureFields(err: unknown): {
  reason?: string;
  errorCode?: string;
  resumeAfter?: string;
} {
  if (err === undefined) return {};
  const fields: { reason?: string; errorCode?: string; resumeAfter?: string } = {
    reason: reasonOf(err),
  };
  const code = errorCodeOf(err);
  if (code !== undefined) fields.errorCode = code;
  if (isDeferred(err)) fields.resumeAfter = isoUtc(asDeferred(err).resumeAfter);
  return fields;
}

function asDeferred(err: unknown): MdeDeferredError {
  if (err instanceof MdeDeferredError) return err;
  return new MdeDeferredError(reasonOf(err), { resumeAfter: new Date(), cause: err });
}

function logFinished(ctx: RunContext, summary: RunSummary, failure: unknown): void {
  const fields = summaryLogFields(summary);
  if (summary.outcome === 'ok') ctx.log.info(fields, 'sync run finished');
  else if (summary.outcome === 'deferred') ctx.log.warn(fields, 'sync run deferred');
  else ctx.log.error({ ...fields, err: failure }, 'sync run failed');
}
