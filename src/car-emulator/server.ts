/**
 * The CAR emulator: the CAR REST API (v2 and the v3 calls connectors use) served over HTTP
 * from an embedded store, for demos, offline use and tests (DESIGN.md §7). It checks Basic or
 * `car-token` credentials, validates every import against CAR's import schema, and runs
 * imports as asynchronous jobs, as the service does.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import { FaultPlan, type EmulatorFaults } from './faults.ts';
import { carError, readBody, rawQuery, writeReply, decodeText, type Reply } from './http-util.ts';
import { JobRegistry } from './jobs.ts';
import { route, type DatabaseState, type EmulatorState } from './routes.ts';
import type { EmulatorStore } from './store-port.ts';
import { openEmulatorStore } from './open-store.ts';

export type EmulatorAuth = { key: string; password: string } | { token: string };

export interface CarEmulatorOptions {
  host?: '127.0.0.1';
  /** 0 (default) picks a free port. */
  port?: number;
  dbPath: string;
  auth: EmulatorAuth;
  logger?: Logger;
  /** How long each import or job stays INPROGRESS before it runs. */
  importDelayMs?: number;
  faults?: EmulatorFaults;
  /** How `GET /databases` starts out; default ready. */
  database?: DatabaseState;
}

/** One request as the emulator saw it, for tests and demos. */
export interface SeenRequest {
  method: string;
  /** Path after `/api/car`, still encoded, e.g. `/v2/source/a%2Fb`. */
  path: string;
  /** Query text, still encoded. */
  query: string;
  status: number;
  /** Records per collection in a `POST /imports` body. */
  records?: Record<string, number>;
}

export interface CarEmulator {
  /** Base URL ending in `/api/car/v2`, as the connector's CAR URL. */
  url: string;
  port: number;
  /** The store behind the emulator (read it; writes go through the API). */
  store: EmulatorStore;
  /** Requests served so far, oldest first (the latest 10,000). */
  requests: SeenRequest[];
  setFaults(faults: EmulatorFaults): void;
  close(): Promise<void>;
}

const API_PREFIX = '/api/car/';
const MAX_SEEN_REQUESTS = 10_000;

/** Starts the emulator on loopback; resolves once it listens. */
export async function startCarEmulator(options: CarEmulatorOptions): Promise<CarEmulator> {
  const logger = (options.logger ?? silentLogger()).child({ component: 'car-emulator' });
  const store = await openEmulatorStore(options.dbPath, logger);
  const state: EmulatorState = {
    store,
    jobs: new JobRegistry(options.importDelayMs ?? 0, logger),
    faults: new FaultPlan(options.faults),
    logger,
    database: options.database ?? 'ready',
  };
  const requests: SeenRequest[] = [];
  const isAuthorised = authChecker(options.auth);

  const server = createServer((req, res) => {
    handle(state, isAuthorised, requests, req, res).catch((err: unknown) => {
      logger.error({ err }, 'car emulator request failed');
      if (!res.headersSent)
        writeReply(res, carError(500, 'internal_error', 'the emulator failed; see its log'));
    });
  });
  const port = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const url = `http://127.0.0.1:${port}/api/car/v2`;
  logger.info({ url }, 'car emulator listening');

  return {
    url,
    port,
    store,
    requests,
    setFaults: (faults) => state.faults.replace(faults),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await state.jobs.drain();
      await store.close();
    },
  };
}

async function handle(
  state: EmulatorState,
  isAuthorised: (header: string | undefined) => boolean,
  requests: SeenRequest[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const [rawPath = '', search = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
  const path = rawPath.startsWith(API_PREFIX) ? rawPath.slice('/api/car'.length) : rawPath;
  const seen: SeenRequest = { method, path, query: search, status: 0 };

  const reply = await answer(state, isAuthorised, req, method, path, search, seen);
  seen.status = reply.status;
  requests.push(seen);
  if (requests.length > MAX_SEEN_REQUESTS) requests.shift();

  const delayMs = state.faults.delayMs(method, path);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  if (!res.destroyed) writeReply(res, reply);
}

async function answer(
  state: EmulatorState,
  isAuthorised: (header: string | undefined) => boolean,
  req: IncomingMessage,
  method: string,
  path: string,
  search: string,
  seen: SeenRequest,
): Promise<Reply> {
  const match = /^\/(v2|v3)\/(.*)$/.exec(path);
  if (match === null)
    return carError(404, 'not_found', `no endpoint ${path}; the API lives under /api/car/v2`);
  const version = match[1] as 'v2' | 'v3';
  const segments = (match[2] ?? '')
    .split('/')
    .filter((s) => s !== '')
    .map(decodeText);
  const isHealth = segments.length === 1 && segments[0] === 'health';

  if (!isHealth && !isAuthorised(req.headers.authorization)) {
    return carError(
      401,
      'unauthorized',
      'missing or wrong credentials; send Basic key:password or car-token',
    );
  }
  if (state.faults.isUnavailable(method, path)) {
    return carError(503, 'service_unavailable', 'unavailable (fault injection)');
  }

  const text = await readBody(req);
  if (text === undefined)
    return carError(413, 'payload_too_large', 'the request body is too large');
  let body: unknown;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return carError(400, 'data_mal_formed', 'the request body is not JSON');
  }
  seen.records = recordCounts(body);

  try {
    const reply = await route(state, { method, version, segments, params: rawQuery(search), body });
    return reply ?? carError(404, 'not_found', `no endpoint ${method} ${path}`);
  } catch (err) {
    if (err instanceof ConnectorError) return carError(400, err.code.toLowerCase(), err.message);
    throw err;
  }
}

function recordCounts(body: unknown): Record<string, number> | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const counts: Record<string, number> = {};
  for (const [name, value] of Object.entries(body))
    if (Array.isArray(value)) counts[name] = value.length;
  return Object.keys(counts).length === 0 ? undefined : counts;
}

/** Compares digests in constant time so the check does not leak how much of a secret matched. */
function authChecker(auth: EmulatorAuth): (header: string | undefined) => boolean {
  const expected =
    'token' in auth
      ? `car-token ${auth.token}`
      : `Basic ${Buffer.from(`${auth.key}:${auth.password}`).toString('base64')}`;
  const expectedDigest = createHash('sha256').update(expected).digest();
  return (header) => {
    if (header === undefined) return false;
    const digest = createHash('sha256').update(header.trim()).digest();
    return timingSafeEqual(digest, expectedDigest);
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
