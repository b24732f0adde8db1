import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpsTestServer, type HttpsTestServer } from '../../helpers/https-test-server.ts';
import { clientFor, collect } from './client-fixture.ts';
import { createDefenderClient } from '../../../src/mde/client.ts';
import { silentLogger } from '../../../src/log.ts';
import { MdeHttpError } from '../../../src/errors.ts';
import { configurationFor } from './client-fixture.ts';

let server: HttpsTestServer;
let proxy: Server;
let proxyOrigin: string;
const tunnels: string[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = await startHttpsTestServer();
  // A minimal CONNECT proxy on loopback standing in for the edge gateway.
  proxy = createServer();
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  proxyOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await server.close();
});
beforeEach(() => {
  server.reset();
  tunnels.length = 0;
});

describe('HTTP transport', () => {
  it('sends token and API requests through the edge gateway proxy', async () => {
    server.on('GET', '/api/machines', { body: { value: [{ id: 'm1' }] } });
    const client = createDefenderClient({
      configuration: configurationFor(server),
      http: {
        connectTimeoutMs: 5_000,
        headersTimeoutMs: 5_000,
        bodyTimeoutMs: 5_000,
        caFile: server.caFile,
        maxRetryWaitSeconds: 300,
        retryBudget: 2,
      },
      edgeGateway: proxyOrigin,
      logger: silentLogger(),
    });

    const machines = (await collect(client.listMachines())).flat();
    await client.close();

    expect(machines).toHaveLength(1);
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set([new URL(server.origin).host]));
  });

  it('retries a response whose headers exceed the headers timeout, then succeeds', async () => {
    server.on(
      'GET',
      '/api/machines',
      { delayMs: 1_500, body: { value: [] } },
      { body: { value: [{ id: 'm1' }] } },
    );
    const { client, sleeps } = clientFor(server, { http: { headersTimeoutMs: 300 } });

    const machines = (await collect(client.listMachines())).flat();
    const stats = client.stats();
    await client.close();

    expect(machines).toHaveLength(1);
    expect(sleeps).toHaveLength(1);
    expect(stats.retries).toBe(1);
  });

  it('refuses a server whose certificate is not trusted instead of skipping verification', async () => {
    const { client } = clientFor(server, { http: { caFile: undefined } });

    const error = await client.grantedRoles().catch((e: unknown) => e);
    await client.close();

    expect(error).toBeInstanceOf(MdeHttpError);
    expect((error as MdeHttpError).code).toBe('MDE_NETWORK');
    expect(server.requests).toHaveLength(0);
  });
});
