/**
 * The Defender simulator: a local HTTPS service that behaves like Entra ID, the Defender for
 * Endpoint API and Graph users for a generated tenant (DESIGN.md §9, docs/simulator.md).
 * `startSimulator` generates the tenant, listens on loopback and returns a handle with the
 * URL, CA certificate, credentials, clock and a config profile for `mde-car --config`.
 */
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { ConnectorError } from '../errors.ts';
import { silentLogger, type Logger } from '../log.ts';
import {
  ALL_GRAPH_ROLES,
  ALL_MDE_ROLES,
  checkCertificate,
  type SimApplication,
} from './auth/applications.ts';
import { TokenIssuer } from './auth/tokens.ts';
import { DEFAULT_START_TIME, SimClock } from './clock.ts';
import type { SimContext } from './context.ts';
import {
  buildProfile,
  writeProfileFiles,
  type ProfileOptions,
  type SimulatorProfile,
} from './profile.ts';
import { QuotaTracker } from './quotas.ts';
import { mixSeed, Rng } from './random.ts';
import {
  loadScenarioFile,
  ScenarioPlayer,
  validateScenario,
  type ScenarioFile,
} from './scenario.ts';
import { loadRecordings } from './recordings.ts';
import { createSimulatorServer } from './server.ts';
import { Tenant } from './tenant/tenant.ts';
import { generateLoopbackCertificate, writeCaFile } from './tls.ts';
import type { AdvanceSummary } from './tenant/advance.ts';

/** The advanced-hunting tables the sync queries (src/sync/queries.ts). */
const SYNC_TABLES = [
  'DeviceNetworkInfo',
  'DeviceLogonEvents',
  'DeviceTvmSoftwareVulnerabilities',
  'DeviceTvmSoftwareVulnerabilitiesKB',
];

export interface SimulatorOptions {
  host?: '127.0.0.1';
  /** 0 (default) picks a free port. */
  port?: number;
  seed?: number;
  machines?: number;
  /** Per-family call quotas with 429 (default true). */
  quotas?: boolean;
  /** `expires_in` of issued tokens (default 3599). */
  tokenLifetimeSeconds?: number;
  /** Simulated clock start; default a fixed instant so runs repeat exactly. */
  startTime?: Date;
  /** A scenario object or the path of a scenario JSON file. */
  scenario?: ScenarioFile | string;
  logger?: Logger;
  /** Applications besides the default one (which holds every role). */
  applications?: SimApplication[];
  /** Rows per page when a listing has no `$top` (default 10,000 as on the real service). */
  pageSize?: number;
  /** A folder of recorded responses answered before the tenant (docs/simulator.md). */
  recordings?: string;
}

export interface RunningSimulator {
  /** HTTPS origin, e.g. `https://127.0.0.1:PORT`: login, API and Graph host at once. */
  url: string;
  /** PEM certificate clients must trust (the simulator's own CA). */
  caCert: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  writeCaFile(path: string): void;
  /** A config object in the format `mde-car --config` reads (docs/simulator.md). */
  profile(options?: ProfileOptions): SimulatorProfile;
  clock: { now(): Date; advance(ms: number): AdvanceSummary };
  tenant: Tenant;
  /** Request counts per endpoint family (token, machines, alerts, hunting, graph, throttled…). */
  stats(): Record<string, number>;
  close(): Promise<void>;
}

const DEFAULT_SEED = 1;
const DEFAULT_MACHINES = 1000;
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;
const DEFAULT_PAGE_SIZE = 10_000;

/** Generates the tenant and starts listening; throws ConnectorError `SIMULATOR_FAILED` on bad options. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  checkOptions(options);
  const logger = (options.logger ?? silentLogger()).child({ component: 'simulator' });
  const seed = options.seed ?? DEFAULT_SEED;
  const ids = new Rng(mixSeed(seed, 'identities'));
  const tenantId = ids.guid();
  const defaultApp: SimApplication = {
    clientId: ids.guid(),
    // Visibly not a real Entra secret (those look like `abc8Q~…`).
    clientSecret: `simulator-secret-${ids.hex(24)}`,
    roles: [...ALL_MDE_ROLES],
    graphRoles: [...ALL_GRAPH_ROLES],
  };
  const apps = new Map<string, SimApplication>();
  for (const app of [defaultApp, ...(options.applications ?? [])]) {
    checkCertificate(app);
    apps.set(app.clientId.toLowerCase(), app);
  }

  const startTime = options.startTime ?? DEFAULT_START_TIME;
  const started = performance.now();
  const tenant = new Tenant({
    seed,
    machines: options.machines ?? DEFAULT_MACHINES,
    nowMs: startTime.getTime(),
    tenantId,
  });
  // Defender has its tables indexed before anyone asks: the tables the sync reads are built now,
  // so building them is not counted in the answer time of the first query that needs them.
  for (const table of SYNC_TABLES) tenant.tables.get(table);
  const clock = new SimClock(startTime, tenant);
  const scenario = readScenario(options.scenario);
  const tls = generateLoopbackCertificate('mde-car Defender simulator');
  const counts: Record<string, number> = {};

  const ctx: SimContext = {
    baseUrl: '',
    tenant,
    tenantId,
    tenantDomain: 'simulated.contoso.test',
    apps,
    tokens: new TokenIssuer(tls.key, tls.cert),
    certificatePem: tls.cert,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    authNowMs: () => clock.authNowMs(),
    simNowMs: () => clock.nowMs(),
    quotas: options.quotas === false ? undefined : new QuotaTracker(),
    pageSize: scenario?.options?.pageSize ?? options.pageSize ?? DEFAULT_PAGE_SIZE,
    repeatingNextLink: scenario?.options?.repeatingNextLink ?? false,
    logger,
  };
  const recorded = options.recordings ? loadRecordings(options.recordings) : [];
  const player = new ScenarioPlayer([...(scenario?.rules ?? []), ...recorded]);
  const stats = (): Record<string, number> => ({ ...counts });
  const server = createSimulatorServer(
    ctx,
    { clock, scenario: player, stats, count: (f) => void (counts[f] = (counts[f] ?? 0) + 1) },
    tls,
  );
  // Idle connections stay open two minutes, like the service's front door. With Node's 5 s
  // default, a client whose event loop was busy writing a page for longer reused a socket the
  // simulator had already closed, and every such request failed once and was retried.
  server.keepAliveTimeout = 120_000;

  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([err]) => Promise.reject(listenError(options.port, err))),
  ]);
  const { port } = server.address() as AddressInfo;
  ctx.baseUrl = `https://127.0.0.1:${port}`;
  logger.info(
    {
      url: ctx.baseUrl,
      machines: tenant.machineEntries.length,
      alerts: tenant.alertEntries.length,
      startMs: Math.round(performance.now() - started),
    },
    'simulator listening',
  );

  return {
    url: ctx.baseUrl,
    caCert: tls.cert,
    tenantId,
    clientId: defaultApp.clientId,
    clientSecret: defaultApp.clientSecret as string,
    writeCaFile: (path) => writeCaFile(path, tls),
    profile: (profileOptions) =>
      buildProfile(
        {
          url: ctx.baseUrl,
          tenantId,
          clientId: defaultApp.clientId,
          clientSecret: defaultApp.clientSecret as string,
        },
        profileOptions,
      ),
    clock: { now: () => clock.now(), advance: (ms) => clock.advance(ms) },
    tenant,
    stats,
    close: () => closeServer(server),
  };
}

function checkOptions(options: SimulatorOptions): void {
  const bad = (key: string, value: unknown, expected: string): never => {
    throw new ConnectorError(
      'SIMULATOR_FAILED',
      `simulator option ${key}=${String(value)} is invalid; expected ${expected}`,
    );
  };
  if (options.host !== undefined && options.host !== '127.0.0.1')
    bad('host', options.host, '127.0.0.1 (the simulator binds to loopback only)');
  if (
    options.machines !== undefined &&
    (!Number.isInteger(options.machines) || options.machines < 0)
  )
    bad('machines', options.machines, 'a whole number >= 0');
  if (
    options.port !== undefined &&
    (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)
  )
    bad('port', options.port, '0 to 65535');
  if (options.tokenLifetimeSeconds !== undefined && !(options.tokenLifetimeSeconds >= 1))
    bad('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 'at least 1');
  if (
    options.pageSize !== undefined &&
    (!Number.isInteger(options.pageSize) || options.pageSize < 1 || options.pageSize > 10_000)
  )
    bad('pageSize', options.pageSize, '1 to 10000');
}

function readScenario(scenario: ScenarioFile | string | undefined): ScenarioFile | undefined {
  if (scenario === undefined) return undefined;
  return typeof scenario === 'string' ? loadScenarioFile(scenario) : validateScenario(scenario);
}

function listenError(port: number | undefined, cause: unknown): ConnectorError {
  return new ConnectorError(
    'SIMULATOR_FAILED',
    `the simulator could not listen on 127.0.0.1:${port ?? 0}; choose another --port or 0 for a free one`,
    { cause },
  );
}

async function closeServer(server: ReturnType<typeof createSimulatorServer>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

export { writeProfileFiles };
export type { ProfileOptions, SimulatorProfile, ScenarioFile, SimApplication };
