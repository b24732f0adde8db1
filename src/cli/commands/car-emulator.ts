/**
 * `mde-car car-emulator`: serves the CAR REST API over an embedded store until SIGINT or
 * SIGTERM (docs/car.md). Prints its base URL on stdout; the password or token comes from a
 * flag or the environment (CAR_EMULATOR_PASSWORD, CAR_EMULATOR_TOKEN) and is never printed.
 */
import { startCarEmulator, type EmulatorAuth } from '../../car-emulator/server.ts';
import { ConfigError } from '../../errors.ts';
import { createLogger, type LogLevel } from '../../log.ts';
import { EXIT } from '../exit-codes.ts';
import type { RegisterCommand } from './types.ts';

/** Defaults of the command, with units. */
const DEFAULTS = {
  port: 9280,
  dbPath: './data/car-emulator.db',
  key: 'emulator',
  importDelayMs: 0,
};

interface EmulatorFlags {
  port?: string;
  db?: string;
  key?: string;
  password?: string;
  token?: string;
  importDelayMs?: string;
  logLevel?: string;
}

export const registerCarEmulator: RegisterCommand = (program, setExitCode) => {
  program
    .command('car-emulator')
    .description('Serve a CAR-compatible REST API over an embedded store (for demos and tests).')
    .option('--port <n>', `port on 127.0.0.1, 0 for any free one (default ${DEFAULTS.port})`)
    .option('--db <path>', `SQLite file of the graph (default ${DEFAULTS.dbPath})`)
    .option('--key <key>', `API key for Basic auth (default ${DEFAULTS.key})`)
    .option('--password <password>', 'API password for Basic auth (or CAR_EMULATOR_PASSWORD)')
    .option('--token <token>', 'accept `car-token <token>` instead (or CAR_EMULATOR_TOKEN)')
    .option('--import-delay-ms <ms>', 'how long each import stays in progress (default 0)')
    .option('--log-level <level>', 'error, warn, info or debug (default info)')
    .action(async (flags: EmulatorFlags) => {
      setExitCode(await runEmulator(flags, process.env));
    });
};

async function runEmulator(flags: EmulatorFlags, env: NodeJS.ProcessEnv): Promise<number> {
  const auth = authFrom(flags, env);
  const port = integerFlag(flags.port, 'port', DEFAULTS.port, 65_535);
  const importDelayMs = integerFlag(
    flags.importDelayMs,
    'import-delay-ms',
    DEFAULTS.importDelayMs,
    600_000,
  );
  const logger = createLogger({ level: (flags.logLevel ?? 'info') as LogLevel });

  const emulator = await startCarEmulator({
    port,
    dbPath: flags.db ?? DEFAULTS.dbPath,
    auth,
    logger,
    importDelayMs,
  });
  process.stdout.write(`${emulator.url}\n`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info({ signal }, 'car emulator stopping');
  await emulator.close();
  return EXIT.OK;
}

/** A token wins, as in the connector; otherwise key and password, the password required. */
function authFrom(flags: EmulatorFlags, env: NodeJS.ProcessEnv): EmulatorAuth {
  const token = flags.token ?? env.CAR_EMULATOR_TOKEN;
  if (token !== undefined && token !== '') return { token };
  const password = flags.password ?? env.CAR_EMULATOR_PASSWORD;
  if (password === undefined || password === '') {
    throw new ConfigError(
      'the CAR emulator needs a password or a token; set CAR_EMULATOR_PASSWORD (or --password), or CAR_EMULATOR_TOKEN (or --token)',
      { key: 'password' },
    );
  }
  return { key: flags.key ?? DEFAULTS.key, password };
}

function integerFlag(
  value: string | undefined,
  name: string,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > max) {
    throw new ConfigError(`--${name} "${value}" is not a whole number from 0 to ${max}`, {
      key: name,
    });
  }
  return parsed;
}
