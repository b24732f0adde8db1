import { afterEach, describe, expect, it } from 'vitest';
import type { SearchResult } from '../../../src/car/search-types.ts';
import { OPENAPI_DOCUMENT } from '../../../src/server/openapi.ts';
import type { JobInput } from '../../../src/runner/run-job.ts';
import {
  CLIENT_SECRET,
  configurationBody,
  connectionBody,
  summaryOf,
} from '../../unit/runner/fixtures.ts';
import { startTestService, waitFor, type TestService } from './service-helper.ts';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function start(
  options: Partial<Parameters<typeof startTestService>[0]> = {},
): Promise<TestService> {
  service = await startTestService({ sync: async () => summaryOf('ok'), ...options });
  return service;
}

function send(
  s: TestService,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${s.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      Authorization: `Bearer ${s.token}`,
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('service basics', () => {
  it('answers /healthz with the security headers on every response', async () => {
    const s = await start();
    const response = await fetch(`${s.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('serves the web UI at / without any external resource', async () => {
    const s = await start();
    const response = await fetch(`${s.url}/`);
    const html = await response.text();
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Data Explorer');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('describes every route in the OpenAPI document and nothing that is not a route', async () => {
    const s = await start();
    const document = (await (
      await fetch(`${s.url}/openapi.json`)
    ).json()) as typeof OPENAPI_DOCUMENT;
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => ['get', 'post', 'put', 'delete', 'patch'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const routed = s.built.routes.map((route) => `${route.method} ${route.path}`);
    expect([...documented].sort()).toEqual([...routed].sort());
  });

  it('refuses a request naming a foreign Host, as a DNS-rebinding page would send', async () => {
    const s = await start();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${s.url}/api/connections`,
        { headers: { Host: 'attacker.mock.test' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('answers 404 with a JSON error for an unknown connection and 405 for a wrong method', async () => {
    const s = await start();
    const missing = await fetch(`${s.url}/api/connections/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const wrong = await send(s, 'DELETE', '/api/connections');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('POST');
  });
});

describe('auth and CSRF', () => {
  it('refuses a change without the token and creates nothing', async () => {
    const s = await start();
    const response = await fetch(`${s.url}/api/connections`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(connectionBody()),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(await (await fetch(`${s.url}/api/connections`)).json()).toEqual([]);
  });

  it('refuses a change with a wrong token', async () => {
    const s = await start();
    const response = await send(s, 'POST', '/api/connections', connectionBody(), {
      Authorization: 'Bearer wrong',
    });
    expect(response.status).toBe(401);
  });

  it('refuses a change from another origin even with the token', async () => {
    const s = await start();
    const response = await send(s, 'POST', '/api/connections', connectionBody(), {
      Origin: 'http://evil.mock.test',
    });
    expect(response.status).toBe(403);
  });

  it('refuses a change sent as a form instead of JSON', async () => {
    const s = await start();
    const response = await send(s, 'POST', '/api/connections', undefined, {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(415);
  });
});

describe('connections and configurations', () => {
  it('rejects a bad connection name with 400 naming the field and the rule', async () => {
    const s = await start();
    const response = await send(
      s,
      'POST',
      '/api/connections',
      connectionBody({ name: 'bad name!', hostPort: 0 }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; field: string; fields: { field: string; rule: string }[] };
    };
    expect(body.error.code).toBe('CONFIG_INVALID');
    expect(body.error.field).toBe('name');
    expect(body.error.fields.map((f) => f.field)).toEqual(['name', 'hostPort']);
    expect(body.error.fields[0]?.rule).toContain('letters, digits');
  });

  it('creates, edits and deletes a connection with a configuration, never returning the secret', async () => {
    const inputs: JobInput[] = [];
    const s = await start({
      sync: async (input) => {
        inputs.push(input);
        return summaryOf('ok');
      },
    });
    expect((await send(s, 'POST', '/api/connections', connectionBody())).status).toBe(201);
    const created = await send(
      s,
      'POST',
      '/api/connections/contoso-prod/configurations',
      configurationBody(),
    );
    expect(created.status).toBe(201);
    const createdText = await created.text();
    expect(createdText).not.toContain(CLIENT_SECRET);
    expect(JSON.parse(createdText)).toMatchObject({ name: 'primary', hasClientSecret: true });

    const edited = await send(s, 'PUT', '/api/connections/contoso-prod/configurations/primary', {
      ...configurationBody({ description: 'renamed-app' }),
      clientSecret: '',
    });
    expect(edited.status).toBe(200);
    await waitFor(() => inputs.length >= 1);
    await send(s, 'POST', '/api/connections/contoso-prod/configurations/primary/run');
    await waitFor(() => inputs.length >= 2);
    expect(inputs.at(-1)?.configuration.clientSecret).toBe(CLIENT_SECRET);

    const listed = await (await fetch(`${s.url}/api/connections`)).text();
    expect(listed).not.toContain(CLIENT_SECRET);
    expect(JSON.parse(listed)[0].configurations[0].description).toBe('renamed-app');

    const putConnection = await send(s, 'PUT', '/api/connections/contoso-prod', {
      description: 'x',
      frequencyMinutes: 30,
    });
    expect(await putConnection.json()).toMatchObject({ frequencyMinutes: 30, hostPort: 443 });
    expect((await send(s, 'DELETE', '/api/connections/contoso-prod')).status).toBe(200);
    expect((await fetch(`${s.url}/api/connections/contoso-prod`)).status).toBe(404);
    expect(s.logText()).not.toContain(CLIENT_SECRET);
  });

  it('answers 409 for a duplicate connection name', async () => {
    const s = await start();
    await send(s, 'POST', '/api/connections', connectionBody());
    const again = await send(s, 'POST', '/api/connections', connectionBody());
    expect(again.status).toBe(409);
  });
});

describe('status, runs and metrics', () => {
  it('shows unavailable until the first import completes, then connected, with the run in the history', async () => {
    let release: () => void = () => undefined;
    const s = await start({
      sync: () =>
        new Promise((resolve) => (release = () => resolve(summaryOf('ok', { durationMs: 2500 })))),
    });
    await send(s, 'POST', '/api/connections', connectionBody());
    await send(s, 'POST', '/api/connections/contoso-prod/configurations', configurationBody());
    // The first run starts on a zero-delay timer, which a request may overtake.
    const status = async () =>
      (await (await fetch(`${s.url}/api/connections/contoso-prod/status`)).json()) as {
        isRunning?: boolean;
      };
    await waitFor(async () => (await status()).isRunning === true);
    const before = await status();
    expect(before).toMatchObject({
      state: 'unavailable',
      configurations: [{ configuration: 'primary', isRunning: true }],
    });

    const busy = await send(s, 'POST', '/api/connections/contoso-prod/configurations/primary/run');
    expect(busy.status).toBe(409);

    release();
    await waitFor(async () => {
      const statuses = (await (await fetch(`${s.url}/api/status`)).json()) as { state: string }[];
      return statuses[0]?.state === 'connected';
    });
    const runs = (await (await fetch(`${s.url}/api/runs?connection=contoso-prod`)).json()) as {
      outcome: string;
      summary: { entities: unknown };
    }[];
    expect(runs[0]).toMatchObject({
      outcome: 'ok',
      summary: { entities: { machines: { read: 10 } } },
    });

    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toContain('mde_car_runs_total{outcome="ok"} 1');
    expect(metrics).toContain('mde_car_api_calls_total{family="machines"} 2');
    expect(metrics).toContain('mde_car_throttle_waits_total 1');
    expect(metrics).toContain('mde_car_run_duration_seconds_bucket{le="5"} 1');
    expect(metrics).toMatch(
      /mde_car_last_success_timestamp_seconds\{connection="contoso-prod",configuration="primary"\} \d+/,
    );
  });

  it('hands a sync a logger whose lines name their component once', async () => {
    const s = await start({
      sync: async (input) => {
        input.logger.child({ component: 'sync' }).info('inside the sync');
        return summaryOf('ok');
      },
    });
    await send(s, 'POST', '/api/connections', connectionBody());
    await send(s, 'POST', '/api/connections/contoso-prod/configurations', configurationBody());
    await waitFor(() => s.logText().includes('scheduled run finished'));
    const lines = s
      .logText()
      .split('\n')
      .filter((line) => line.includes('"component"'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.split('"component"').length, line).toBe(2);
    expect(s.logs().find((l) => l.msg === 'inside the sync')).toMatchObject({
      component: 'sync',
      connection: 'contoso-prod',
      configuration: 'primary',
    });
    expect(s.logs().find((l) => l.msg === 'scheduled run started')).toMatchObject({
      component: 'runner',
    });
  });

  it('rejects a run-history limit that is not a whole number', async () => {
    const s = await start();
    const response = await fetch(`${s.url}/api/runs?limit=abc`);
    expect(response.status).toBe(400);
  });
});

describe('search', () => {
  const result: SearchResult = {
    kind: 'ip',
    query: '::ffff:10.0.0.5',
    canonical: '10.0.0.5',
    current: [],
    past: [],
    note: 'IPv4-mapped IPv6 searched as IPv4',
  };

  it('returns exactly what the search provider answers', async () => {
    const asked: string[] = [];
    const s = await start({
      search: (kind, value) => {
        asked.push(`${kind}:${value}`);
        return result;
      },
    });
    const response = await fetch(`${s.url}/api/search?ip=${encodeURIComponent('::ffff:10.0.0.5')}`);
    expect(await response.json()).toEqual(result);
    expect(asked).toEqual(['ip:::ffff:10.0.0.5']);
  });

  it('asks for exactly one of ip, host and mac', async () => {
    const s = await start();
    expect((await fetch(`${s.url}/api/search`)).status).toBe(400);
    expect((await fetch(`${s.url}/api/search?ip=1.2.3.4&mac=00:11:22:33:44:55`)).status).toBe(400);
  });

  it('hides an unexpected failure behind a request id, with no stack trace', async () => {
    const s = await start({
      search: () => {
        throw new Error('SELECT * FROM secret_table failed at /src/x.ts:12');
      },
    });
    const response = await fetch(`${s.url}/api/search?host=pc1`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret_table');
    const body = JSON.parse(text) as { error: { reqId: string } };
    const logged = s.logs().find((line) => line.msg === 'request error');
    expect(logged).toMatchObject({ reqId: body.error.reqId, component: 'server' });
  });
});
