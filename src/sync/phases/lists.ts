/**
 * The phases that read list endpoints rather than advanced hunting: alerts (B07 cursor), Graph
 * users, vulnerabilities from the bulk `machinesVulnerabilities` list, and logged-on users per
 * machine when hunting is not permitted. Each page is mapped and written while the next one is
 * requested (prefetch.ts).
 */
import { isResolvedStatus, mapAlerts } from '../../car/map-alerts.ts';
import { mapGraphUsers } from '../../car/map-graph-users.ts';
import { mapLogonUsers } from '../../car/map-logons.ts';
import { mapMachineVulnerabilities } from '../../car/map-vulnerabilities.ts';
import { redirectMachineId } from '../../car/context.ts';
import type { AlertCursor, PageCursor } from '../../mde/api.ts';
import type { Alert } from '../../mde/types.ts';
import { compareMdeTime } from '../../mde/time.ts';
import { progress, throwIfAborted, touch, writeMapped, type RunContext } from '../context.ts';
import { readAhead } from '../prefetch.ts';

/** Alert statuses a full import reads; resolved alerts' edges go by the full deactivation. */
export const OPEN_ALERT_STATUSES = ['New', 'InProgress', 'Unknown'];

/**
 * Most machines asked one by one for logged-on users when hunting is not permitted; the rest
 * are skipped and counted. 100 keeps a run well inside the 1,500/h quota (mde-api.md §3.1).
 */
export const LOGON_FALLBACK_MAX_MACHINES = 100;

/**
 * Alerts in the newest-first page a full import reads for its cursor: enough to hold every id
 * at the newest instant in practice.
 * Limitation: ids at that instant beyond this page are read once more by the next run.
 */
const HIGH_WATER_PAGE_SIZE = 100;

/** Alerts: open ones on a full import, everything since the cursor on an incremental one. */
export async function syncAlerts(ctx: RunContext, resume?: PageCursor): Promise<void> {
  const counts = ctx.summary.entity('alerts');
  const since = ctx.mode === 'incremental' ? ctx.checkpoint?.alertCursor : undefined;
  ctx.position = { phase: 'alerts', cursor: resume };
  // A resumed full import restored the high-water mark with its state.
  if (ctx.mode === 'full' && resume === undefined) {
    ctx.state.alertCursor = await alertHighWater(ctx);
  }
  const pages = readAhead(
    ctx.api.listAlerts({
      pageSize: ctx.config.sync.pageSize,
      ...(since ? { since } : { statuses: OPEN_ALERT_STATUSES }),
      ...(resume ? { resume } : {}),
    }),
  );
  for await (const page of pages) {
    throwIfAborted(ctx);
    counts.read += page.items.length;
    const alerts = ctx.mode === 'full' ? keepListedMachines(ctx, page.items) : page.items;
    for (const alert of alerts) {
      const assetId = redirectMachineId(ctx.mapping, alert.machineId ?? '');
      touch(ctx, assetId);
      if (!isResolvedStatus(alert.status)) ctx.risk.addOpenAlert(assetId, alert);
    }
    await writeMapped(ctx, 'alerts', mapAlerts(alerts, ctx.mapping));
    counts.written += alerts.length;

    // A full import keeps the high-water mark read before the listing (see alertHighWater).
    if (page.nextCursor && ctx.mode === 'incremental')
      ctx.state.alertCursor = laterCursor(ctx.state.alertCursor, page.nextCursor);
    ctx.position = { phase: 'alerts', cursor: page.cursor };
    progress(ctx, { phase: 'alerts', done: counts.read });
  }
}

/** Graph users (Microsoft Graph `/v1.0/users`), page by page. */
export async function syncGraphUsers(ctx: RunContext): Promise<void> {
  const counts = ctx.summary.entity('graphUsers');
  ctx.position = { phase: 'graphUsers' };
  for await (const page of readAhead(ctx.api.listGraphUsers())) {
    throwIfAborted(ctx);
    counts.read += page.items.length;
    await writeMapped(ctx, 'graphUsers', mapGraphUsers(page.items, ctx.mapping));
    counts.written += page.items.length;
    progress(ctx, { phase: 'graphUsers', done: counts.read });
  }
}

/** Vulnerabilities from the bulk list, when hunting is not permitted but the list is. */
export async function syncVulnerabilityList(ctx: RunContext, resume?: PageCursor): Promise<void> {
  const counts = ctx.summary.entity('vulnerabilities');
  ctx.position = { phase: 'vulnerabilities', cursor: resume };
  const pages = readAhead(
    ctx.api.listMachineVulnerabilities({
      pageSize: ctx.config.sync.pageSize,
      ...(resume ? { resume } : {}),
    }),
  );
  for await (const page of pages) {
    throwIfAborted(ctx);
    counts.read += page.items.length;
    const kept = page.items.filter(
      (item) => typeof item.machineId === 'string' && ctx.known.has(item.machineId),
    );
    if (kept.length < page.items.length) {
      ctx.summary.skip('vulnerabilities', 'deviceNotListed', page.items.length - kept.length);
    }
    await writeMapped(ctx, 'vulnerabilities', mapMachineVulnerabilities(kept, ctx.mapping));
    counts.written += kept.length;
    ctx.position = { phase: 'vulnerabilities', cursor: page.cursor };
    progress(ctx, { phase: 'vulnerabilities', done: counts.read });
  }
}

/**
 * Logged-on users one machine at a time: only when hunting is not permitted, and bounded by
 * LOGON_FALLBACK_MAX_MACHINES so the call count never grows with the tenant (DESIGN.md §4).
 * A 404 for a machine just listed is counted and its stored users are kept (B28).
 */
export async function syncLogonUsersPerMachine(ctx: RunContext): Promise<void> {
  const counts = ctx.summary.entity('users');
  ctx.position = { phase: 'users' };
  const ids = [...ctx.known];
  // Limitation: past the bound, users of the remaining machines are not read in this run.
  if (ids.length > LOGON_FALLBACK_MAX_MACHINES) {
    ctx.summary.skip('users', 'perMachineLimit', ids.length - LOGON_FALLBACK_MAX_MACHINES);
  }
  ctx.state.usersReadFor = [];
  for (const machineId of ids.slice(0, LOGON_FALLBACK_MAX_MACHINES)) {
    throwIfAborted(ctx);
    const users = await ctx.api.listLogonUsers(machineId);
    if (users === undefined) {
      ctx.summary.skip('users', 'machineNotFound');
      continue;
    }
    ctx.state.usersReadFor.push(machineId);
    counts.read += users.length;
    await writeMapped(ctx, 'users', mapLogonUsers(machineId, users, ctx.mapping));
    counts.written += users.length;
  }
}

/**
 * The cursor a full import stores: the newest `lastUpdateTime` of any status and the ids at it,
 * read before the open alerts are listed. The listing skips resolved alerts, so a cursor taken
 * from it would lag behind them and the next incremental run would re-read them; one taken
 * from it could also pass an alert resolved while the listing paged. Anything updated after
 * this mark is read again by the next incremental run, which at worst repeats a write.
 */
async function alertHighWater(ctx: RunContext): Promise<AlertCursor | undefined> {
  const pages = ctx.api.listAlerts({ newestFirst: true, pageSize: HIGH_WATER_PAGE_SIZE });
  // Only the first page is needed; leaving the loop closes the listing.
  for await (const page of pages) return page.nextCursor;
  return undefined;
}

/** On a full import, drops alerts of machines the listing did not return (kept: no machine). */
function keepListedMachines(ctx: RunContext, alerts: Alert[]): Alert[] {
  const kept = alerts.filter((alert) => {
    const id = typeof alert.machineId === 'string' ? alert.machineId : '';
    return id === '' || ctx.known.has(redirectMachineId(ctx.mapping, id)) || ctx.known.has(id);
  });
  if (kept.length < alerts.length) {
    ctx.summary.skip('alerts', 'machineNotListed', alerts.length - kept.length);
  }
  return kept;
}

/** The later of two alert cursors; at the same instant, the union of ids (B07). */
export function laterCursor(a: AlertCursor | undefined, b: AlertCursor): AlertCursor {
  if (!a) return b;
  const order = compareMdeTime(a.time, b.time);
  if (order > 0) return a;
  if (order < 0) return b;
  return { time: b.time, idsAtTime: [...new Set([...a.idsAtTime, ...b.idsAtTime])] };
}
