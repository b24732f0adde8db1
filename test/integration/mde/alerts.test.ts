import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startHttpsTestServer,
  type HttpsTestServer,
  type RecordedRequest,
} from '../../helpers/https-test-server.ts';
import { clientFor } from './client-fixture.ts';
import type { AlertCursor, ListAlertsOptions } from '../../../src/mde/api.ts';
import type { Alert } from '../../../src/mde/types.ts';
import { compareMdeTime, toEpochMs } from '../../../src/mde/time.ts';

let server: HttpsTestServer;
beforeAll(async () => {
  server = await startHttpsTestServer({ roles: ['Machine.Read.All', 'Alert.Read.All'] });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

/**
 * A mock alerts endpoint that evaluates `lastUpdateTime ge X`, orders and pages like the service;
 * `millisecondFilter` compares the floor at whole milliseconds, as a coarser service would.
 */
function serveAlerts(
  alerts: Alert[],
  options: { offsetCap?: number; millisecondFilter?: boolean } = {},
): void {
  server.on('GET', '/api/alerts', (req: RecordedRequest) => {
    const filter = req.query.get('$filter') ?? '';
    const floor = /lastUpdateTime ge (\S+)/.exec(filter)?.[1];
    const top = Number(req.query.get('$top') ?? 10_000);
    const skip = Number(req.query.get('$skip') ?? 0);
    if (options.offsetCap !== undefined && top + skip > options.offsetCap) {
      return {
        status: 400,
        body: { error: { code: 'BadRequest', message: '$top + $skip exceeds limit' } },
      };
    }
    const atLeastFloor = (a: Alert): boolean =>
      floor === undefined ||
      (options.millisecondFilter === true
        ? (toEpochMs(a.lastUpdateTime) ?? 0) >= (toEpochMs(floor) ?? 0)
        : compareMdeTime(a.lastUpdateTime, floor) >= 0);
    const direction = req.query.get('$orderby') === 'lastUpdateTime desc' ? -1 : 1;
    const matching = alerts
      .filter(atLeastFloor)
      .sort(
        (a, b) =>
          direction * compareMdeTime(a.lastUpdateTime, b.lastUpdateTime) ||
          a.id.localeCompare(b.id),
      );
    return { body: { value: matching.slice(skip, skip + top) } };
  });
}

async function poll(
  options: ListAlertsOptions,
): Promise<{ ids: string[]; cursor: AlertCursor | undefined }> {
  const { client } = clientFor(server);
  const ids: string[] = [];
  let cursor = options.since;
  for await (const page of client.listAlerts(options)) {
    ids.push(...page.items.map((a) => a.id));
    cursor = page.nextCursor;
  }
  await client.close();
  return { ids, cursor };
}

const alert = (id: string, lastUpdateTime: string, extra: Partial<Alert> = {}): Alert => ({
  id,
  lastUpdateTime,
  machineId: 'aaaa0001',
  ...extra,
});

describe('incremental alerts (B07)', () => {
  it('delivers two alerts that share a timestamp exactly once each over two polls', async () => {
    const t = '2024-05-02T09:00:00Z';
    serveAlerts([alert('daA', t)]);
    const first = await poll({
      since: { time: '2024-05-02T00:00:00Z', idsAtTime: [] },
      pageSize: 1,
    });

    server.reset();
    serveAlerts([alert('daA', t), alert('daB', t)]);
    const second = await poll({ since: first.cursor!, pageSize: 1 });

    server.reset();
    serveAlerts([alert('daA', t), alert('daB', t)]);
    const third = await poll({ since: second.cursor!, pageSize: 1 });

    expect(first.ids).toEqual(['daA']);
    expect(first.cursor).toEqual({ time: t, idsAtTime: ['daA'] });
    expect(second.ids).toEqual(['daB']);
    expect(second.cursor).toEqual({ time: t, idsAtTime: ['daA', 'daB'] });
    expect(third.ids).toEqual([]);
  });

  it('asks with ge on the raw cursor time, $expand=evidence, ascending order and the status filter', async () => {
    serveAlerts([]);
    await poll({
      since: { time: '2024-05-02T09:00:00.1234567Z', idsAtTime: [] },
      statuses: ['New', 'InProgress'],
    });

    const request = server.apiRequests()[0];
    expect(request?.query.get('$filter')).toBe(
      "lastUpdateTime ge 2024-05-02T09:00:00.1234567Z and (status eq 'New' or status eq 'InProgress')",
    );
    expect(request?.query.get('$expand')).toBe('evidence');
    expect(request?.query.get('$orderby')).toBe('lastUpdateTime asc');
  });
});

describe('timestamps with 0 to 7 fractional digits (B08)', () => {
  it('orders and advances the cursor at 100 ns, keeping the original string', async () => {
    const times = [
      '2024-03-13T06:40:13Z',
      '2024-03-13T06:40:13.9Z',
      '2024-03-13T06:40:13.98Z',
      '2024-03-13T06:40:13.988Z',
      '2024-03-13T06:40:13.9880Z',
      '2024-03-13T06:40:13.98800Z',
      '2024-03-13T06:40:13.988000Z',
      '2024-03-13T06:40:13.9880001Z',
    ];
    serveAlerts(times.map((t, i) => alert(`da${i}`, t)));

    const { ids, cursor } = await poll({ since: { time: '2024-03-13T00:00:00Z', idsAtTime: [] } });

    expect(ids).toHaveLength(8);
    expect(cursor).toEqual({ time: '2024-03-13T06:40:13.9880001Z', idsAtTime: ['da7'] });

    server.reset();
    serveAlerts(times.map((t, i) => alert(`da${i}`, t)));
    const again = await poll({
      since: { time: '2024-03-13T06:40:13.988Z', idsAtTime: ['da3', 'da4', 'da5', 'da6'] },
    });
    expect(again.ids).toEqual(['da7']);
  });
});

describe('sub-millisecond cursor times (B07 with B08)', () => {
  const ms = '2025-06-02T12:00:00.000';
  const sameMillisecond = (): Alert[] => [
    alert('daBefore', `${ms}9299Z`),
    alert('daWritten', `${ms}9744Z`),
    alert('daNewAtCursor', `${ms}9744Z`),
    alert('daAfter', `${ms}9900Z`),
  ];

  it('drops alerts before the cursor and written ids at it when the service filters at milliseconds', async () => {
    serveAlerts(sameMillisecond(), { millisecondFilter: true });

    const first = await poll({ since: { time: `${ms}9744Z`, idsAtTime: ['daWritten'] } });

    server.reset();
    serveAlerts(sameMillisecond(), { millisecondFilter: true });
    const second = await poll({ since: first.cursor! });

    expect(first.ids).toEqual(['daNewAtCursor', 'daAfter']);
    expect(first.cursor).toEqual({ time: `${ms}9900Z`, idsAtTime: ['daAfter'] });
    expect(second.ids).toEqual([]);
  });

  it('writes a new alert at the exact cursor instant once and then keeps its id in the cursor', async () => {
    serveAlerts(sameMillisecond().slice(0, 3));

    const first = await poll({ since: { time: `${ms}9744Z`, idsAtTime: ['daWritten'] } });

    server.reset();
    serveAlerts(sameMillisecond().slice(0, 3), { millisecondFilter: true });
    const second = await poll({ since: first.cursor! });

    expect(first.ids).toEqual(['daNewAtCursor']);
    expect(first.cursor).toEqual({
      time: `${ms}9744Z`,
      idsAtTime: ['daWritten', 'daNewAtCursor'],
    });
    expect(second.ids).toEqual([]);
  });

  it('reads newest first for a high-water cursor holding every id at the newest instant', async () => {
    serveAlerts(sameMillisecond().slice(0, 3));

    const { ids, cursor } = await poll({ newestFirst: true, pageSize: 100 });

    expect(server.apiRequests()[0]?.query.get('$orderby')).toBe('lastUpdateTime desc');
    expect(ids).toEqual(['daNewAtCursor', 'daWritten', 'daBefore']);
    expect(cursor).toEqual({ time: `${ms}9744Z`, idsAtTime: ['daNewAtCursor', 'daWritten'] });
  });
});

describe('offset ceiling on deep $skip (B29)', () => {
  it('restarts from the last time read with $skip=0 and reads all five alerts without a 400 surfacing', async () => {
    const alerts = ['t1', 't2', 't3', 't4', 't5'].map((id, i) =>
      alert(id, `2024-05-02T0${i + 1}:00:00Z`),
    );
    serveAlerts(alerts, { offsetCap: 4 });

    const { ids, cursor } = await poll({
      since: { time: '2024-05-02T00:00:00Z', idsAtTime: [] },
      pageSize: 2,
    });

    expect(ids).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect(cursor?.time).toBe('2024-05-02T05:00:00Z');
    const restart = server.apiRequests().find((r) => r.query.get('$filter')?.includes('04:00:00Z'));
    expect(restart?.query.get('$skip')).toBe('0');
  });

  it('applies the same-time rule across the restart so no alert repeats', async () => {
    const same = '2024-05-02T02:00:00Z';
    const alerts = [
      alert('a1', '2024-05-02T01:00:00Z'),
      alert('a2', same),
      alert('a3', same),
      alert('a4', same),
      alert('a5', '2024-05-02T03:00:00Z'),
    ];
    serveAlerts(alerts, { offsetCap: 4 });

    const { ids } = await poll({ pageSize: 2 });

    expect(ids).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
  });
});

describe('empty arrays and pages (B25)', () => {
  it('keeps an alert with empty evidence and ends on an empty page without error', async () => {
    const automated = alert('daE', '2024-03-08T10:45:56.5966667Z', {
      title: 'Automated investigation started',
      severity: 'Informational',
      status: 'Resolved',
      evidence: [],
      loggedOnUsers: [],
      mitreTechniques: [],
      comments: [],
    });
    serveAlerts([automated]);

    const { ids, cursor } = await poll({});

    expect(ids).toEqual(['daE']);
    expect(cursor).toEqual({ time: '2024-03-08T10:45:56.5966667Z', idsAtTime: ['daE'] });
  });
});
