import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpsTestServer, type HttpsTestServer } from '../../helpers/https-test-server.ts';
import { clientFor, collect, type ClientUnderTest } from './client-fixture.ts';
import { hasCode } from '../../../src/errors.ts';

const id = (n: number) => `aaaa${String(n).padStart(36, '0')}`;
const machine = (n: number) => ({ id: id(n), computerDnsName: `host-${n}.example.test` });

let server: HttpsTestServer;
let under: ClientUnderTest;
beforeAll(async () => {
  server = await startHttpsTestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

async function run<T>(fn: (u: ClientUnderTest) => Promise<T>, http = {}): Promise<T> {
  under = clientFor(server, { http });
  try {
    return await fn(under);
  } finally {
    await under.client.close();
  }
}

describe('machine listing (B01, B02, mde-api.md Q1-Q3)', () => {
  it('follows @odata.nextLink verbatim until it is absent (B01)', async () => {
    server.on('GET', '/api/machines', {
      body: {
        value: [machine(1), machine(2)],
        '@odata.nextLink': `${server.origin}/api/machines?$skip=2`,
      },
    });
    server.on('GET', '/api/machines?$skip=2', (req) => ({
      body: { value: req.query.has('$top') ? [] : [machine(3)] },
    }));

    const pages = await run(({ client }) => collect(client.listMachines({ pageSize: 10 })));

    expect(pages.flat().map((m) => m.id)).toEqual([id(1), id(2), id(3)]);
    const second = server.apiRequests()[1];
    expect(second?.url).toBe(`${server.origin}/api/machines?$skip=2`);
  });

  it('continues with $skip after a full page without next link and stops on a short page (B02)', async () => {
    server.on('GET', '/api/machines?$top=2&$skip=0', { body: { value: [machine(1), machine(2)] } });
    server.on('GET', '/api/machines?$top=2&$skip=2', { body: { value: [machine(3)] } });

    const pages = await run(({ client }) => collect(client.listMachines({ pageSize: 2 })));

    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(server.apiRequests()).toHaveLength(2);
  });

  it('ends cleanly on an empty page after an exactly full one (B25)', async () => {
    server.on('GET', '/api/machines?$top=2&$skip=0', { body: { value: [machine(1), machine(2)] } });
    server.on('GET', '/api/machines?$top=2&$skip=2', { body: { value: [] } });

    const pages = await run(({ client }) => collect(client.listMachines({ pageSize: 2 })));

    expect(pages.flat()).toHaveLength(2);
  });

  it('reads a 404 on the machine list as an empty tenant (mde-api.md Q15)', async () => {
    server.on('GET', '/api/machines', {
      status: 404,
      body: { error: { code: 'NotFound', message: 'No recent machines' } },
    });

    const pages = await run(({ client }) => collect(client.listMachines()));

    expect(pages).toEqual([]);
  });

  it('stops when a next link repeats the current URL and counts the loop (Q2)', async () => {
    const loop = `${server.origin}/api/machines?$skip=2`;
    server.on('GET', '/api/machines', {
      body: { value: [machine(1), machine(2)], '@odata.nextLink': loop },
    });
    server.on('GET', '/api/machines?$skip=2', {
      body: { value: [machine(3)], '@odata.nextLink': loop },
    });

    const { ids, loops } = await run(async ({ client }) => {
      const pages = await collect(client.listMachines({ pageSize: 10 }));
      return { ids: pages.flat().map((m) => m.id), loops: client.stats().pagingLoops };
    });

    expect(ids).toEqual([id(1), id(2), id(3)]);
    expect(loops).toBe(1);
    expect(server.apiRequests()).toHaveLength(2);
  });

  it('stops on a page that adds no new ids and drops duplicates across pages (Q3)', async () => {
    server.on('GET', '/api/machines?$top=2&$skip=0', { body: { value: [machine(1), machine(2)] } });
    server.on('GET', '/api/machines?$top=2&$skip=2', { body: { value: [machine(2), machine(3)] } });
    server.on('GET', '/api/machines?$top=2&$skip=4', { body: { value: [machine(3), machine(2)] } });

    const result = await run(async ({ client }) => {
      const dropped: number[] = [];
      const ids: string[] = [];
      for await (const page of client.listMachines({ pageSize: 2 })) {
        dropped.push(page.duplicatesDropped);
        ids.push(...page.items.map((m) => m.id));
      }
      return { ids, dropped, loops: client.stats().pagingLoops };
    });

    expect(result.ids).toEqual([id(1), id(2), id(3)]);
    expect(result.dropped).toEqual([0, 1]);
    expect(result.loops).toBe(1);
  });

  it('refuses a next link that leaves https or the expected host', async () => {
    server.on('GET', '/api/machines', {
      body: {
        value: [machine(1)],
        '@odata.nextLink': 'https://elsewhere.mock.test/api/machines?$skip=1',
      },
    });

    const error = await run(async ({ client }) =>
      collect(client.listMachines()).catch((e: unknown) => e),
    );

    expect(hasCode(error, 'MDE_BAD_RESPONSE')).toBe(true);
    expect(server.apiRequests()).toHaveLength(1);
  });

  it('throws instead of ending when a later page keeps failing', async () => {
    server.on('GET', '/api/machines?$top=1&$skip=0', { body: { value: [machine(1)] } });
    server.on('GET', '/api/machines?$top=1&$skip=1', {
      status: 503,
      body: { error: { code: 'ServiceUnavailable' } },
    });

    const seen: string[] = [];
    const error = await run(
      async ({ client }) => {
        try {
          for await (const page of client.listMachines({ pageSize: 1 }))
            seen.push(...page.items.map((m) => m.id));
        } catch (e) {
          return e;
        }
        return undefined;
      },
      { retryBudget: 2 },
    );

    expect(seen).toEqual([id(1)]);
    expect(hasCode(error, 'MDE_SERVER_ERROR')).toBe(true);
  });

  it('resumes a listing from a stored cursor without reading earlier pages', async () => {
    server.on('GET', '/api/machines?$top=2&$skip=2', { body: { value: [machine(3)] } });

    const pages = await run(({ client }) =>
      collect(client.listMachines({ pageSize: 2, resume: { skip: 2 } })),
    );

    expect(pages.flat().map((m) => m.id)).toEqual([id(3)]);
    expect(server.apiRequests()).toHaveLength(1);
  });

  it('sends the caller filter percent-encoded with $top and $skip', async () => {
    server.on('GET', '/api/machines', { body: { value: [] } });

    await run(({ client }) =>
      collect(client.listMachines({ filter: 'lastSeen ge 2024-05-01T00:00:00Z', pageSize: 500 })),
    );

    const request = server.apiRequests()[0];
    expect(request?.query.get('$filter')).toBe('lastSeen ge 2024-05-01T00:00:00Z');
    expect(request?.url).toContain('$filter=lastSeen%20ge%202024-05-01T00%3A00%3A00Z');
    expect(request?.query.get('$top')).toBe('500');
  });
});

describe('Graph users (mde-api.md §2.9, Q22)', () => {
  it('caps $top at 999, asks for the join fields and follows the skiptoken link', async () => {
    server.on('GET', '/v1.0/users', (req) =>
      req.query.has('$skiptoken')
        ? { body: { value: [{ id: 'u3' }] } }
        : {
            body: {
              value: [{ id: 'u1' }, { id: 'u2' }],
              '@odata.nextLink': `${server.origin}/v1.0/users?$top=999&$skiptoken=X%27abc%27`,
            },
          },
    );

    const pages = await run(({ client }) => collect(client.listGraphUsers({ pageSize: 5000 })));

    expect(pages.flat().map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
    const first = server.apiRequests()[0];
    expect(first?.query.get('$top')).toBe('999');
    expect(first?.query.get('$select')).toContain('onPremisesSamAccountName');
    expect(first?.query.has('$skip')).toBe(false);
  });
});
