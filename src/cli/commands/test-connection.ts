/**
 * `mde-car test-connection`: gets a token for each configuration, compares the granted roles
 * with the required and optional ones, makes one cheap call per endpoint family and prints a
 * verdict a person can act on. Exit 0 only when the sync can run; otherwise 52 (auth), 53
 * (forbidden), 51 (cannot connect) or 1. Secrets are never printed.
 */
import type { Writable } from 'node:stream';
import { loadConfig } from '../../config/load.ts';
import type { AppConfig } from '../../config/types.ts';
import type { ErrorCode } from '../../errors.ts';
import { createLogger, type Logger } from '../../log.ts';
import { createDefenderClient } from '../../mde/client.ts';
import { checkConnection, type ConnectionCheck } from '../../mde/connection-check.ts';
import { EXIT } from '../exit-codes.ts';
import type { RegisterCommand } from './types.ts';

export interface TestConnectionFlags {
  config?: string;
  json?: boolean;
  [flag: string]: unknown;
}

export interface TestConnectionIo {
  stdout: Writable;
  env: Record<string, string | undefined>;
  /** Where log lines go; stderr by default. */
  logDestination?: Writable;
}

export const registerTestConnection: RegisterCommand = (program, setExitCode) => {
  program
    .command('test-connection')
    .description(
      'Check credentials, roles and one call per Defender endpoint family; exit 0 when the sync can run',
    )
    .option('--config <file>', 'JSON config file (docs/configuration.md)')
    .option('--json', 'print the result as JSON')
    .option('--tenantID <uuid>', 'Entra tenant id (CONFIGURATION_AUTH_TENANT, MDE_TENANT_ID)')
    .option(
      '--clientID <uuid>',
      'application (client) id (CONFIGURATION_AUTH_CLIENTID, MDE_CLIENT_ID)',
    )
    .option(
      '--clientSecret <secret>',
      'client secret (prefer CONFIGURATION_AUTH_CLIENTSECRET or --secretsDir)',
    )
    .option('--subscriptionID <uuid>', 'Azure subscription id (recorded only)')
    .option('--cloud <name>', 'commercial, gcc, gcc-high, dod or custom')
    .option('--caFile <file>', 'extra CA bundle (PEM) to trust, e.g. the simulator CA')
    .option(
      '--secretsDir <dir>',
      'folder with one file per secret, named after its environment variable',
    )
    .option('--logLevel <level>', 'error, warn, info, debug or silent')
    .action(async (flags: TestConnectionFlags) => {
      setExitCode(await runTestConnection(flags, { stdout: process.stdout, env: process.env }));
    });
};

/** Runs the connection test for every configuration and returns the exit code. */
export async function runTestConnection(
  flags: TestConnectionFlags,
  io: TestConnectionIo,
): Promise<number> {
  const { config: file, json, ...rest } = flags;
  const input = { ...(file === undefined ? {} : { file }), env: io.env, flags: rest };
  // Read once quietly to learn the log level, then again with the logger so warnings are kept.
  const level = loadConfig(input).log.level;
  const logger = createLogger({
    level,
    ...(io.logDestination ? { destination: io.logDestination } : {}),
  });
  const config = loadConfig({ ...input, logger });

  const results: { configuration: string; apiUrl: string; check: ConnectionCheck }[] = [];
  for (const configuration of config.connection.configurations) {
    results.push({
      configuration: configuration.name,
      apiUrl: configuration.endpoints.apiUrl,
      check: await checkOne(config, configuration, logger),
    });
  }

  io.stdout.write(json ? `${JSON.stringify(results, null, 2)}\n` : formatResults(results));
  const failed = results.find((r) => !r.check.ok);
  return failed === undefined ? EXIT.OK : exitCodeOf(failed.check.failureCode);
}

async function checkOne(
  config: AppConfig,
  configuration: AppConfig['connection']['configurations'][number],
  logger: Logger,
): Promise<ConnectionCheck> {
  const client = createDefenderClient({
    configuration,
    http: config.http,
    ...(config.connection.edgeGateway === undefined
      ? {}
      : { edgeGateway: config.connection.edgeGateway }),
    logger,
  });
  try {
    return await checkConnection(client);
  } finally {
    await client.close();
  }
}

function formatResults(
  results: { configuration: string; apiUrl: string; check: ConnectionCheck }[],
): string {
  return results
    .map(({ configuration, apiUrl, check }) => {
      const lines = check.verdict.split('\n').map((line) => `  ${line}`);
      return [`configuration ${configuration} (${apiUrl}):`, ...lines].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

/** Exit codes of the existing connector (car-service.md §3.3) for a failed test. */
function exitCodeOf(code: ErrorCode | undefined): number {
  if (code === undefined) return EXIT.GENERAL_FAILURE;
  if (code === 'MDE_AUTH_FAILED' || code === 'MDE_UNAUTHORIZED') return EXIT.DATASOURCE_AUTH;
  if (code === 'MDE_FORBIDDEN') return EXIT.DATASOURCE_FORBIDDEN;
  if (code === 'MDE_NETWORK') return EXIT.DATASOURCE_CONNECT;
  return EXIT.GENERAL_FAILURE;
}
