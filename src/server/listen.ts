/**
 * Starts a built server on a host and port. Loopback is the default; any other address is an
 * explicit choice the caller makes (and `mde-car serve` warns about).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorError } from '../errors.ts';
import type { BuiltServer } from './app.ts';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;
// Short keep-alive so stop() and test teardown are not held up by idle browser connections.
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export interface Listening {
  url: string;
  host: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0 picks a free one); throws SERVER_FAILED when it cannot. */
export async function listen(
  built: BuiltServer,
  options: { host?: string; port?: number } = {},
): Promise<Listening> {
  const host = options.host ?? DEFAULT_HOST;
  const server = createServer(built.handler);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new ConnectorError(
          'SERVER_FAILED',
          `cannot listen on ${host}:${options.port ?? DEFAULT_PORT}; pick another --port or --host`,
          { cause: err },
        ),
      ),
    );
    server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
