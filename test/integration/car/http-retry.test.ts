import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CarImportError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { CarHttpClient } from '../../../src/targets/car/http.ts';

interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Close the connection without an answer. */
  drop?: boolean;
}

describe('CAR HTTP client retries', () => {
  let server: Server | undefined;
  let client: CarHttpClient | undefined;
  const seen: { method: string; url: string; authorization: string | undefined }[] = [];

  afterEach(async () => {
    await client?.close();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    seen.length = 0;
  });

  async function serve(script: Scripted[]): Promise<string> {
    server = createServer((req, res) => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
      });
      const next = script.shift() ?? { status: 200, body: '{"result":"OK"}' };
      if (next.drop === true) {
        req.socket.destroy();
        return;
      }
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(next.body ?? '{}');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(server?.address() as AddressInfo).port}/api/car/v2`;
  }

  function clientFor(baseUrl: string): CarHttpClient {
    client = new CarHttpClient({
      baseUrl,
      auth: { key: 'k', password: 'p' },
      timeoutMs: 1_000,
      maxAttempts: 3,
      retryBaseMs: 5,
      retryMaxWaitMs: 2_000,
      logger: silentLogger(),
    });
    return client;
  }

  it('retries a PATCH after a 503 and after a dropped connection', async () => {
    const car = clientFor(await serve([{ status: 503 }, { status: 0, drop: true }]));
    const res = await car.send('PATCH', {
      path: 'asset_ipaddress',
      query: { source: 's', from: 'a', to: 'b' },
      body: { active: false },
    });
    expect(res.status).toBe(200);
    expect(seen.map((req) => req.method)).toEqual(['PATCH', 'PATCH', 'PATCH']);
    expect(seen[0]?.url).toBe('/api/car/v2/asset_ipaddress?source=s&from=a&to=b');
  });

  it('waits the Retry-After of a 429 before trying again', async () => {
    const car = clientFor(await serve([{ status: 429, headers: { 'retry-after': '1' } }]));
    const started = Date.now();
    await car.send('GET', { path: 'databases' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(seen).toHaveLength(2);
  });

  it('gives up with CAR_UNAVAILABLE when every attempt fails', async () => {
    const car = clientFor(await serve([{ status: 502 }, { status: 502 }, { status: 502 }]));
    const error = await car
      .send('POST', { path: 'imports', body: {} })
      .catch((err: unknown) => err);
    expect((error as CarImportError).code).toBe('CAR_UNAVAILABLE');
    expect((error as CarImportError).status).toBe(502);
    expect(seen).toHaveLength(3);
  });

  it('does not retry a 403 and reports CAR_AUTH_FAILED', async () => {
    const car = clientFor(await serve([{ status: 403 }]));
    const error = await car.send('GET', { path: 'databases' }).catch((err: unknown) => err);
    expect((error as CarImportError).code).toBe('CAR_AUTH_FAILED');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from('k:p').toString('base64')}`);
  });

  it('sends v3 calls by replacing /v2 with /v3 in the base URL', async () => {
    const car = clientFor(await serve([]));
    await car.send('GET', { path: 'importSchema', query: { version: 'v2' }, version: 'v3' });
    expect(seen[0]?.url).toBe('/api/car/v3/importSchema?version=v2');
  });
});
