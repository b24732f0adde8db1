/**
 * `mde-car serve`: the service of DESIGN.md §8 in one process: the runner (connections,
 * schedule, status), the HTTP API and the web UI. With `--demo` it also starts the built-in
 * simulator and a connection to it. It runs until SIGINT or SIGTERM.
 */
import { readPackageVersion } from '../version.ts';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../errors.ts';
import { createLogger, type Logger, type LogLevel } from '../../log.ts';
import { checkWithDefender, syncIntoEmbeddedStore } from '../../runner/default-jobs.ts';
import { DEFAULT_CHECK_INTERVAL_MINUTES, Runner } from '../../runner/runner.ts';
import { loadSecretKey } from '../../runner/secret-box.ts';
import { loadOrCreateApiToken } from '../../server/api-token.ts';
import { buildServer } from '../../server/app.ts';
import { ensureDemoConnection } from '../../server/demo.ts';
import { DEFAULT_HOST, DEFAULT_PORT, listen } from '../../server/listen.ts';
import { embeddedSearch } from '../../server/search-provider.ts';
import { allowedHostsFor } from '../../server/security.ts';
import { startSimulator } from '../../simulator/index.ts';
import type { RegisterCommand } from './types.ts';

interface ServeFlags {
  port: string;
  host: string;
  dataDir: string;
  demo?: boolean;
  printToken?: boolean;
  checkIntervalMinutes: string;
  allowedHost: string[];
  logLevel: LogLevel;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
// A demo tenant big enough to look real in the UI, small enough to sync in about a second.
const DEMO_MACHINES = 60;
const DEMO_SEED = 7;

/** Registers `serve`. */
export const registerServe: RegisterCommand = (program) => {
  program
    .command('serve')
    .description(
      'Run the service: connections, schedule, status, HTTP API and web UI (Data Explorer).',
    )
    .option('--port <port>', 'TCP port', String(DEFAULT_PORT))
    .option(
      '--host <address>',
      'address to bind; anything but loopback exposes the service',
      DEFAULT_HOST,
    )
    .option(
      '--data-dir <dir>',
      'where connections, keys, the API token and the graph store live',
      './data',
    )
    .option('--demo', 'also start the built-in Defender simulator and a demo connection to it')
    .option('--print-token', 'print a one-time sign-in link that carries the API token')
    .option(
      '--check-interval-minutes <n>',
      'minutes between connection checks',
      String(DEFAULT_CHECK_INTERVAL_MINUTES),
    )
    .option(
      '--allowed-host <name>',
      'extra host name the server answers for (repeatable)',
      collect,
      [],
    )
    .option('--log-level <level>', 'error, warn, info, debug or silent', 'info')
    .action(async (flags: ServeFlags) => {
      await serve(flags, process.env);
    });
};

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function serve(flags: ServeFlags, env: NodeJS.ProcessEnv): Promise<void> {
  const port = parseWhole(flags.port, '--port', 0, 65535);
  const checkIntervalMinutes = parseWhole(
    flags.checkIntervalMinutes,
    '--check-interval-minutes',
    1,
    24 * 60,
  );
  const dataDir = resolve(flags.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logger = createLogger({ level: flags.logLevel });

  const key = loadSecretKey({ dataDir, envValue: env.MDE_CAR_SECRET_KEY });
  const token = loadOrCreateApiToken(dataDir);
  logger.info(
    { dataDir, secretKey: key.source, tokenFile: token.path, checkIntervalMinutes },
    'service starting',
  );
  const graphDbPath = join(dataDir, 'graph.db');
  const runner = new Runner({
    dataDir,
    graphDbPath,
    secretKey: key.key,
    logger,
    sync: syncIntoEmbeddedStore,
    check: checkWithDefender,
    checkIntervalMinutes,
  });

  const sim = flags.demo
    ? await startSimulator({ port: 0, seed: DEMO_SEED, machines: DEMO_MACHINES, logger })
    : undefined;
  if (sim) await ensureDemoConnection(runner, sim, dataDir);
  runner.start();

  const search = embeddedSearch(graphDbPath, logger);
  const built = buildServer({
    runner,
    search: search.search,
    logger,
    token: token.token,
    allowedHosts: allowedHostsFor(flags.host, flags.allowedHost),
    version: readPackageVersion(),
  });
  const listening = await listen(built, { host: flags.host, port });
  announce(listening.url, flags, token, logger, sim?.url);

  await untilSignal();
  logger.info({}, 'service stopping');
  await listening.close();
  await runner.stop();
  await search.close();
  await sim?.close();
}

function announce(
  url: string,
  flags: ServeFlags,
  token: { token: string; path: string; isNew: boolean },
  logger: Logger,
  simulatorUrl: string | undefined,
): void {
  if (!LOOPBACK.has(flags.host)) {
    logger.warn({ host: flags.host }, 'service bound beyond loopback');
    process.stderr.write(
      `warning: bound to ${flags.host}: other machines can read status and search results; changes still need the API token\n`,
    );
  }
  logger.info({ url, simulatorUrl }, 'service listening');
  const lines = [`mde-car serve: listening on ${url}`];
  if (simulatorUrl)
    lines.push(`demo: Defender simulator at ${simulatorUrl}; connection "demo" imports from it`);
  lines.push(
    `API token ${token.isNew ? 'created' : 'kept'} in ${token.path} (sign in to the UI with its contents)`,
  );
  // Limitation: the sign-in link puts the token in the terminal's scrollback; it is printed
  // only when asked for, and the UI removes it from the address bar at once.
  if (flags.printToken)
    lines.push(`sign-in link (keep it private): ${url}/#token=${encodeURIComponent(token.token)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function untilSignal(): Promise<void> {
  return new Promise((resolveSignal) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveSignal();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function parseWhole(text: string, flag: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${flag} ${JSON.stringify(text)} is not allowed; it must be a whole number from ${min} to ${max}`,
      {
        key: flag,
      },
    );
  }
  return value;
}
