import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpsTestServer, type HttpsTestServer } from '../../helpers/https-test-server.ts';
import { clientFor, collect } from './client-fixture.ts';
import { hasCode, MdeDeferredError } from '../../../src/errors.ts';
import type { PageCursor } from '../../../src/mde/api.ts';

const NOW = new Date('2024-05-02T12:00:00.000Z');
const huntingRow = {
  DeviceId: 'aaaa0001',
  MacAddress: '02AA00000001',
  IPAddresses: '[{"IPAddress":"10.0.0.5","SubnetPrefix":24,"AddressType":"Private"}]',
};
const query = "DeviceNetworkInfo | where DeviceId in ('aaaa0001')";

let server: HttpsTestServer;
beforeAll(async () => {
  server = await startHttpsTestServer({ roles: ['Machine.Read.All', 'AdvancedQuery.Read.All'] });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

describe('throttling of advanced hunting (B04)', () => {
  for (const [label, body] of [
    [
      'TooManyRequests',
      {
        error: {
          code: 'TooManyRequests',
          message: 'Call quota reached: 45 requests per 1 minute window',
          target: 'c',
        },
      },
    ],
    [
      '"429"',
      {
        error: {
          code: '429',
          message: 'API calls quota exceeded! maximum allowed 45 per 00:01:00',
          target: 'c',
        },
      },
    ],
  ] as const) {
    it(`waits at least Retry-After and resends the same query once (error.code ${label})`, async () => {
      server.on(
        'POST',
        '/api/advancedqueries/run',
        { status: 429, headers: { 'retry-after': '7' }, body },
        { body: { Schema: [], Results: [huntingRow] } },
      );
      const { client, sleeps } = clientFor(server);

      const result = await client.runHuntingQuery(query);
      const stats = client.stats();
      await client.close();

      expect(result.Results).toEqual([huntingRow]);
      const posts = server.apiRequests();
      expect(posts).toHaveLength(2);
      expect(posts[1]?.body).toBe(posts[0]?.body);
      expect(JSON.parse(posts[0]?.body ?? '{}')).toEqual({ Query: query });
      expect(sleeps).toHaveLength(1);
      expect(sleeps[0]).toBeGreaterThanOrEqual(7_000);
      expect(stats.throttleWaits).toBe(1);
      expect(stats.byFamily?.hunting?.throttleWaits).toBe(1);
    });
  }

  it('backs off exponentially with jitter when 429 carries no Retry-After', async () => {
    const throttled = { status: 429, body: { error: { code: 'TooManyRequests' } } };
    server.on('POST', '/api/advancedqueries/run', throttled, throttled, throttled, {
      body: { Schema: [], Results: [] },
    });
    const { client, sleeps } = clientFor(server);

    await client.runHuntingQuery(query);
    await client.close();

    expect(sleeps).toHaveLength(3);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? 0);
    expect(sleeps[2]).toBeGreaterThan(sleeps[1] ?? 0);
  });

  it('gives up with MDE_THROTTLED when the retry budget is spent', async () => {
    server.on('POST', '/api/advancedqueries/run', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'TooManyRequests' } },
    });
    const { client } = clientFor(server, { http: { retryBudget: 2 } });

    const error = await client.runHuntingQuery(query).catch((e: unknown) => e);
    await client.close();

    expect(hasCode(error, 'MDE_THROTTLED')).toBe(true);
    expect(server.apiRequests()).toHaveLength(3);
  });
});

describe('hourly quota exhausted (B05)', () => {
  it('defers instead of sleeping, carrying resumeAfter and the page-2 cursor, and resumes from page 2', async () => {
    const page2 = `${server.origin}/api/machines?$skip=1`;
    server.on('GET', '/api/machines', {
      body: { value: [{ id: 'm1' }], '@odata.nextLink': page2 },
    });
    server.on('GET', '/api/machines?$skip=1', {
      status: 429,
      headers: { 'retry-after': '2400' },
      body: {
        error: {
          code: 'TooManyRequests',
          message: 'Call quota reached: 1500 requests per 1 hour window',
        },
      },
    });
    const first = clientFor(server, { now: () => NOW, http: { maxRetryWaitSeconds: 300 } });

    const read: string[] = [];
    let deferred: unknown;
    try {
      for await (const page of first.client.listMachines({ pageSize: 10 }))
        read.push(...page.items.map((m) => m.id));
    } catch (e) {
      deferred = e;
    }
    await first.client.close();

    expect(read).toEqual(['m1']);
    expect(deferred).toBeInstanceOf(MdeDeferredError);
    const error = deferred as MdeDeferredError;
    expect(error.code).toBe('MDE_DEFERRED');
    expect(error.resumeAfter.toISOString()).toBe('2024-05-02T12:40:00.000Z');
    expect(error.resume).toEqual({ nextLink: page2 });
    expect(first.sleeps).toEqual([]);

    server.reset();
    server.on('GET', '/api/machines?$skip=1', { body: { value: [{ id: 'm2' }] } });
    const second = clientFor(server);
    const pages = await collect(second.client.listMachines({ resume: error.resume as PageCursor }));
    await second.client.close();

    expect(pages.flat().map((m) => m.id)).toEqual(['m2']);
    expect(server.apiRequests().map((r) => r.path + (r.query.get('$skip') ?? ''))).toEqual([
      '/api/machines1',
    ]);
  });
});

describe('retries and pacing', () => {
  it('retries a 5xx with back-off and succeeds', async () => {
    server.on(
      'GET',
      '/api/machines',
      { status: 500, body: { error: { code: 'InternalServerError' } } },
      { body: { value: [{ id: 'm1' }] } },
    );
    const { client, sleeps } = clientFor(server);

    const pages = await collect(client.listMachines());
    const stats = client.stats();
    await client.close();

    expect(pages.flat()).toHaveLength(1);
    expect(sleeps).toHaveLength(1);
    expect(stats.retries).toBe(1);
  });

  it('paces itself before the 101st call of a family within one minute, without a 429', async () => {
    server.on('GET', '/api/machines/m1/logonusers', { body: { value: [] } });
    const { client, sleeps } = clientFor(server, { now: () => NOW, configuration: {}, http: {} });

    for (let i = 0; i < 101; i += 1) await client.listLogonUsers('m1');
    await client.close();

    expect(sleeps).toEqual([60_000]);
    expect(server.apiRequests().every((r) => r.path.endsWith('/logonusers'))).toBe(true);
  });
});
