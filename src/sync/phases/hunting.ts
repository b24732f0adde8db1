/**
 * The advanced-hunting phases (network adapters, logged-on users, software vulnerabilities):
 * a few large queries cut by device hash (full) or by changed device ids (incremental), never
 * one call per machine (DESIGN.md §4). The next query is asked while an answer is mapped and
 * written.
 * Rows of devices the machines phase did not write are dropped, so a device that left the
 * listing is not brought back by its 30 days of hunting history.
 */
import { mapLogonRows } from '../../car/map-logons.ts';
import { mapNetworkRows } from '../../car/map-network.ts';
import { mapSoftwareVulnerabilities } from '../../car/map-vulnerabilities.ts';
import type { MappedBatch } from '../../car/types.ts';
import { isMergedMachine, type MappingContext } from '../../car/context.ts';
import type { LogonRow, NetworkInfoRow, SoftwareVulnerabilityRow } from '../../mde/types.ts';
import { isHuntingTooLarge } from '../errors.ts';
import {
  deviceListState,
  fullPartitionState,
  recordAnswer,
  splitTooLarge,
  takeNext,
  unitsOf,
  type PartitionState,
  type Slice,
} from '../partitions.ts';
import { HUNTING_PHASES, huntingQuery, type HuntingPhase } from '../queries.ts';
import { progress, throwIfAborted, writeMapped, type RunContext } from '../context.ts';

/** The most rows one answer can hold; an answer this long may have been cut (mde-api.md §3.1). */
export const SERVICE_ROW_LIMIT = 100_000;
/** Refusals in a row, without an answer between them, before a phase gives up splitting. */
const MAX_REFUSALS_IN_A_ROW = 6;

type Rows = Record<string, unknown>[];
const MAPPERS: Record<HuntingPhase, (rows: Rows, ctx: MappingContext) => MappedBatch> = {
  network: (rows, ctx) => mapNetworkRows(rows as NetworkInfoRow[], ctx),
  users: (rows, ctx) => mapLogonRows(rows as LogonRow[], ctx),
  vulnerabilities: (rows, ctx) =>
    mapSoftwareVulnerabilities(rows as SoftwareVulnerabilityRow[], ctx),
};

/** A query on its way: the slice it asks for and the answer to come (undefined: split). */
interface Asked {
  slice: Slice;
  answer: Promise<Rows | undefined>;
}

/** One phase's queries: its partition state and how the next slice is sized and asked. */
interface PhaseQueries {
  phase: HuntingPhase;
  state: PartitionState;
  /** The next query, or undefined when the queue is empty. */
  askNext(): Asked | undefined;
}

/**
 * A hunting phase started ahead of its turn: its first query goes out while the phase before
 * it writes its last answer, so the service works while the connector writes. Kept on the run
 * context until the phase runs; a run that ends before then simply drops it.
 */
export interface EarlyHunting {
  queries: PhaseQueries;
  first: Asked | undefined;
}

/**
 * Runs one hunting phase to the end, or from a stored partition state when resuming. When
 * `upcoming` is given, that hunting phase's first query is asked once this phase has asked
 * its last one.
 */
export async function syncHunting(
  ctx: RunContext,
  phase: HuntingPhase,
  resume?: PartitionState,
  upcoming?: HuntingPhase,
): Promise<void> {
  const counts = ctx.summary.entity(phase);
  const early = ctx.earlyHunting?.queries.phase === phase && !resume ? ctx.earlyHunting : undefined;
  ctx.earlyHunting = undefined;
  const queries = early?.queries ?? phaseQueries(ctx, phase, resume ?? initialState(ctx));
  ctx.position = { phase, partition: queries.state };

  let current = early ? early.first : queries.askNext();
  while (current) {
    throwIfAborted(ctx);
    const rows = await current.answer;
    if (rows === undefined) {
      current = queries.askNext();
      continue;
    }

    recordAnswer(queries.state, current.slice, rows.length);
    // The next query is asked before this answer is mapped and written, so the service
    // computes it meanwhile; it is sized by what this answer taught. Should the write fail,
    // the run ends partial and stores no partition state, so that query is simply dropped.
    const next = queries.askNext();
    if (next === undefined && upcoming !== undefined) startEarly(ctx, upcoming);
    counts.read += rows.length;
    const kept = keepKnownDevices(ctx, phase, rows);
    if (phase === 'vulnerabilities') ctx.risk.addVulnerabilities(kept);
    const toMap = phase === 'network' ? leaveOutRepeats(ctx, kept) : kept;
    await writeMapped(ctx, phase, MAPPERS[phase](toMap, ctx.mapping));
    counts.written += kept.length;
    progress(ctx, {
      phase,
      done: counts.read,
      message: `${queries.state.queue.length} slices left`,
    });
    current = next;
  }
  const rate = measuredRate(ctx, queries.state);
  if (rate !== undefined) ctx.huntingRates[phase] = rate;
  ctx.log.info({ phase, rows: counts.read, units: queries.state.unitsDone }, 'hunting phase done');
}

/**
 * Asks the first query of `phase` before its turn (see EarlyHunting). `devices` stands in for
 * the machine count while the machines phase is still writing its last page (full runs only,
 * whose queries cut the tenant by hash and do not name devices).
 */
export function startEarly(ctx: RunContext, phase: HuntingPhase, devices?: number): void {
  if (ctx.earlyHunting !== undefined) return;
  const queries = phaseQueries(ctx, phase, initialState(ctx, devices), devices);
  ctx.earlyHunting = { queries, first: queries.askNext() };
}

function phaseQueries(
  ctx: RunContext,
  phase: HuntingPhase,
  state: PartitionState,
  devices = ctx.known.size,
): PhaseQueries {
  const maxRows = maxRowsOf(ctx);
  const guess = guessPerUnit(ctx, phase, state, devices);
  const refusals = { inARow: 0 };
  return {
    phase,
    state,
    askNext() {
      const slice = takeNext(state, maxRows, guess);
      if (!slice) return undefined;
      const answer = askOrSplit(ctx, phase, state, slice, maxRows, refusals);
      // Awaited by the phase; this only keeps an answer left behind by a cancelled or failed
      // run from being reported as an unhandled rejection.
      answer.catch(() => undefined);
      return { slice, answer };
    },
  };
}

function maxRowsOf(ctx: RunContext): number {
  return Math.min(ctx.config.sync.huntingMaxRows, SERVICE_ROW_LIMIT);
}

/**
 * Rows per device this phase read, for the next run's first guess (undefined when it read
 * nothing). A full run read every device's rows; an incremental one read those of the devices
 * it named.
 */
function measuredRate(ctx: RunContext, state: PartitionState): number | undefined {
  if (state.rowsDone === 0) return undefined;
  if (ctx.mode === 'incremental') return state.rowsPerUnit;
  return ctx.known.size > 0 ? state.rowsDone / ctx.known.size : undefined;
}

/**
 * Asks one slice. A refused or possibly truncated answer is not used: the slice is split and
 * put back (undefined returned). Any other error puts the slice back before it propagates, so
 * a deferred run resumes with it.
 */
async function askOrSplit(
  ctx: RunContext,
  phase: HuntingPhase,
  state: PartitionState,
  slice: Slice,
  maxRows: number,
  refusals: { inARow: number },
): Promise<Rows | undefined> {
  let rows: Rows;
  try {
    rows = (await ctx.api.runHuntingQuery(huntingQuery(phase, slice))).Results;
  } catch (err) {
    refusals.inARow += 1;
    const maySplit = isHuntingTooLarge(err) && refusals.inARow <= MAX_REFUSALS_IN_A_ROW;
    if (maySplit && splitTooLarge(state, slice, maxRows)) {
      ctx.summary.count(`hunting.${phase}.split`);
      ctx.log.debug(
        { phase, units: unitsOf(slice) },
        'hunting query refused; asking smaller slices',
      );
      return undefined;
    }
    state.queue.unshift(slice);
    throw err;
  }
  refusals.inARow = 0;
  if (rows.length < SERVICE_ROW_LIMIT) return rows;
  if (splitTooLarge(state, slice, maxRows)) {
    ctx.summary.count(`hunting.${phase}.split`);
    return undefined;
  }
  // Limitation: one device with more rows than the service returns keeps only those rows.
  ctx.log.warn({ phase, units: unitsOf(slice) }, 'hunting answer at the row limit kept as is');
  return rows;
}

function initialState(ctx: RunContext, devices?: number): PartitionState {
  if (ctx.mode === 'incremental') return deviceListState([...ctx.known]);
  return fullPartitionState(devices ?? ctx.known.size, maxRowsOf(ctx));
}

/**
 * Rows per queue unit at first guess: per device for id lists, per hash class otherwise. The
 * rows per device the last run measured for this phase come first, then the built-in guess.
 */
function guessPerUnit(
  ctx: RunContext,
  phase: HuntingPhase,
  state: PartitionState,
  devices: number,
): number {
  const perDevice = ctx.previousRates[phase] ?? HUNTING_PHASES[phase].guessRowsPerDevice;
  const head = state.queue[0];
  if (!head || 'deviceIds' in head) return perDevice;
  return (perDevice * Math.max(devices, 1)) / head.modulus;
}

/**
 * Network rows that only repeat what the machine record already wrote are not mapped again
 * (address-memory.ts); they still count as written, since their records are in the target.
 */
function leaveOutRepeats(ctx: RunContext, rows: Rows): Rows {
  const rest = rows.filter((row) => !ctx.addresses.coversRow(row as NetworkInfoRow));
  if (rest.length < rows.length) {
    ctx.summary.count('network.sameAsMachineRecord', rows.length - rest.length);
  }
  return rest;
}

/**
 * Drops rows of devices this run did not write (unknown or skipped), and rows of merged
 * machines (B13): those describe the retired id, and an incremental run that re-reads only the
 * survivor would otherwise deactivate what the twin's rows had added to it.
 */
function keepKnownDevices(ctx: RunContext, phase: HuntingPhase, rows: Rows): Rows {
  const kept: Rows = [];
  let notListed = 0;
  let merged = 0;
  for (const row of rows) {
    const id = row.DeviceId;
    if (typeof id !== 'string' || !ctx.known.has(id)) notListed += 1;
    else if (isMergedMachine(ctx.mapping, id)) merged += 1;
    else kept.push(row);
  }
  if (notListed > 0) ctx.summary.skip(phase, 'deviceNotListed', notListed);
  if (merged > 0) ctx.summary.skip(phase, 'mergedMachine', merged);
  return kept;
}
