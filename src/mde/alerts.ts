/**
 * Alerts, incremental by `lastUpdateTime` with the same-timestamp rule of field fault B07:
 * the filter uses `ge` on the cursor time and the ids already written at exactly that time are
 * skipped, so two alerts that share a timestamp are each delivered once across polls. Times
 * are compared at 100 ns (src/mde/time.ts) and the cursor keeps the service's original string.
 */
import type { AlertCursor, AlertPage, ListAlertsOptions, Page } from './api.ts';
import { compareMdeTime, parseMdeTime } from './time.ts';
import type { Alert } from './types.ts';

/** The `$filter` for a status list and a lower time bound (unquoted datetime literal). */
export function alertFilter(
  statuses: readonly string[] | undefined,
  from: string | undefined,
): string | undefined {
  const parts: string[] = [];
  if (from !== undefined) parts.push(`lastUpdateTime ge ${from}`);
  if (statuses !== undefined && statuses.length > 0) {
    parts.push(`(${statuses.map((s) => `status eq '${s.replace(/'/g, "''")}'`).join(' or ')})`);
  }
  return parts.length === 0 ? undefined : parts.join(' and ');
}

/** Drops the alerts the cursor already covers and advances the cursor over the rest. */
export async function* withAlertCursor(
  pages: AsyncIterable<Page<Alert>>,
  options: ListAlertsOptions,
): AsyncGenerator<AlertPage> {
  const since = options.since;
  const alreadyWritten = new Set(since?.idsAtTime ?? []);
  let cursor: AlertCursor | undefined =
    since === undefined ? undefined : { time: since.time, idsAtTime: [...since.idsAtTime] };

  for await (const page of pages) {
    const items = page.items.filter((alert) => !isCovered(alert, since, alreadyWritten));
    cursor = advanceAlertCursor(cursor, items);
    yield {
      ...page,
      items,
      duplicatesDropped: page.duplicatesDropped + page.items.length - items.length,
      nextCursor: cursor,
    };
  }
}

/**
 * True when the cursor already covers `alert`: updated strictly before the cursor time, or at
 * exactly that time (100 ns) with an id already written. The server's `ge` filter is not
 * trusted for this, since a service that compares at milliseconds also returns the earlier
 * sub-millisecond alerts of the cursor's millisecond (B08).
 */
function isCovered(
  alert: Alert,
  since: AlertCursor | undefined,
  alreadyWritten: ReadonlySet<string>,
): boolean {
  if (since === undefined || parseMdeTime(alert.lastUpdateTime) === undefined) return false;
  const order = compareMdeTime(alert.lastUpdateTime, since.time);
  return order < 0 || (order === 0 && alreadyWritten.has(alert.id));
}

/** The cursor after `alerts`: the latest `lastUpdateTime` seen and every id seen at it. */
export function advanceAlertCursor(
  cursor: AlertCursor | undefined,
  alerts: readonly Alert[],
): AlertCursor | undefined {
  let next = cursor;
  for (const alert of alerts) {
    const time = alert.lastUpdateTime;
    if (parseMdeTime(time) === undefined || time === null || time === undefined) continue;
    const order = next === undefined ? 1 : compareMdeTime(time, next.time);
    if (order > 0) next = { time, idsAtTime: [alert.id] };
    else if (order === 0 && next !== undefined && !next.idsAtTime.includes(alert.id)) {
      next = { time: next.time, idsAtTime: [...next.idsAtTime, alert.id] };
    }
  }
  return next;
}
