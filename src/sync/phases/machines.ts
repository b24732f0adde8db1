/**
 * The machines phase: every page of `/api/machines` (or, incremental, those with `lastSeen` at
 * or after the checkpoint minus the overlap, B20) is mapped and written before the next page is
 * read (the next page is already requested while one is written, prefetch.ts). It collects what the later phases need: the ids written, the merge hints (B13, kept by
 * the mapper in the run's map) and the highest `lastSeen` as the original string.
 */
import { isMergedMachine } from '../../car/context.ts';
import { mergeMapped } from '../../car/batch-builder.ts';
import { mapMachines } from '../../car/map-machines.ts';
import type { MappedBatch } from '../../car/types.ts';
import type { Machine } from '../../mde/types.ts';
import type { PageCursor } from '../../mde/api.ts';
import { laterTime, machinesSinceFilter } from '../plan.ts';
import { fingerprint } from '../recent-machines.ts';
import { progress, throwIfAborted, touch, writeMapped, type RunContext } from '../context.ts';
import { readAhead } from '../prefetch.ts';
import type { HuntingPhase } from '../queries.ts';
import { startEarly } from './hunting.ts';

/**
 * Machines mapped at a time. A 10,000-machine page maps about twice as fast per machine in
 * slices (the batch builder's maps stay small and short-lived); shared vertices (an OS, a shared
 * address) are then written once per slice, which the upsert makes harmless. The slices of a
 * page are written together, as one transaction in the embedded store: a commit writes every
 * index page the transaction dirtied, and random inserts spread over most of an index's pages,
 * so ten commits of 1,000 machines write nearly ten times the pages of one of 10,000
 * (measured at 100,000 machines: 15 s of commits in slices, 5 s in pages).
 */
const MAP_SLICE = 1_000;

/**
 * Streams machines through map → write; resumes from `resume` when given (B05). In a full run,
 * the `upcoming` hunting phase asks its first query once the last page has arrived: its query
 * cuts the tenant by hash and needs only the machine count.
 */
export async function syncMachines(
  ctx: RunContext,
  resume?: PageCursor,
  upcoming?: HuntingPhase,
): Promise<void> {
  const counts = ctx.summary.entity('machines');
  const filter = machinesFilter(ctx);
  ctx.position = { phase: 'machines', cursor: resume };
  ctx.log.info({ filter: filter ?? null, resume: resume ?? null }, 'machines listing started');

  const pages = readAhead(
    ctx.api.listMachines({
      pageSize: ctx.config.sync.pageSize,
      ...(filter ? { filter } : {}),
      ...(resume ? { resume } : {}),
    }),
  );
  for await (const page of pages) {
    throwIfAborted(ctx);
    counts.read += page.items.length;
    if (page.duplicatesDropped > 0)
      ctx.summary.skip('machines', 'duplicateId', page.duplicatesDropped);

    if (page.cursor === undefined && upcoming !== undefined && ctx.mode === 'full') {
      startEarly(ctx, upcoming, Math.max(counts.read, ctx.known.size + page.items.length));
    }
    const changed = dropUnchanged(ctx, page.items);
    const slices: MappedBatch[] = [];
    for (let start = 0; start < changed.length; start += MAP_SLICE) {
      slices.push(mapMachines(changed.slice(start, start + MAP_SLICE), ctx.mapping));
    }
    await writeMapped(ctx, 'machines', mergeMapped(slices));
    counts.written += rememberWritten(ctx, changed, skippedIds(slices.flatMap((s) => s.skipped)));

    ctx.position = { phase: 'machines', cursor: page.cursor };
    ctx.log.debug({ page: page.pageNumber, items: page.items.length }, 'machines page written');
    progress(ctx, { phase: 'machines', done: counts.read, message: `page ${page.pageNumber}` });
  }
  ctx.state.machinesComplete = true;
  ctx.log.info({ machines: counts.read, maxLastSeen: ctx.state.maxLastSeen }, 'machines fetched');
}

/**
 * Drops machines the previous run already wrote with the same `lastSeen` (B20 de-duplication,
 * recent-machines.ts); every listed machine is remembered for the next checkpoint.
 */
function dropUnchanged(ctx: RunContext, machines: Machine[]): Machine[] {
  const changed: Machine[] = [];
  for (const machine of machines) {
    if (typeof machine?.id !== 'string') {
      changed.push(machine);
      continue;
    }
    ctx.recent.add(machine);
    const isSame =
      typeof machine.lastSeen === 'string' &&
      ctx.unchanged.has(fingerprint(machine.id, machine.lastSeen));
    if (isSame) {
      ctx.state.maxLastSeen = laterTime(ctx.state.maxLastSeen, machine.lastSeen ?? undefined);
    } else {
      changed.push(machine);
    }
  }
  if (changed.length < machines.length) {
    ctx.summary.skip('machines', 'unchanged', machines.length - changed.length);
  }
  return changed;
}

function machinesFilter(ctx: RunContext): string | undefined {
  if (ctx.mode !== 'incremental') return undefined;
  const since = ctx.checkpoint?.machinesLastSeen;
  return since ? machinesSinceFilter(since, ctx.config.sync.overlapHours) : undefined;
}

/** Records ids, touched assets and the highest lastSeen; returns how many were written. */
function rememberWritten(ctx: RunContext, machines: Machine[], skipped: Set<string>): number {
  let written = 0;
  for (const machine of machines) {
    if (typeof machine?.id !== 'string') continue;
    // Every listed machine moves the checkpoint, written or skipped: it was observed.
    if (typeof machine.lastSeen === 'string') {
      ctx.state.maxLastSeen = laterTime(ctx.state.maxLastSeen, machine.lastSeen);
    }
    if (skipped.has(machine.id)) continue;
    written += 1;
    ctx.risk.addMachine(machine);
    ctx.known.add(machine.id);
    if (!isMergedMachine(ctx.mapping, machine.id)) ctx.addresses.rememberMachine(machine);
    touch(ctx, machine.id);
  }
  return written;
}

function skippedIds(skipped: { id?: string }[]): Set<string> {
  const ids = new Set<string>();
  for (const skip of skipped) {
    if (skip.id !== undefined) ids.add(skip.id);
  }
  return ids;
}
