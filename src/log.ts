/**
 * The logger factory. JSON lines (pino): a context object first, then a short constant
 * message. Components get a child logger with `component` bound; a sync run adds `runId`.
 * Redaction by path keeps secrets out even when a whole config object is logged by mistake.
 */
import {
  pino,
  destination as pinoDestination,
  stdTimeFunctions,
  type Logger as PinoLogger,
  type DestinationStream,
} from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Paths whose values are never written. Field names follow the config schema's secret marks
 * (src/config) plus HTTP headers that carry credentials.
 */
export const REDACT_PATHS = [
  '*.clientSecret',
  '*.*.clientSecret',
  '*.configurations[*].clientSecret',
  '*.certificatePassword',
  '*.*.certificatePassword',
  '*.carPassword',
  '*.*.carPassword',
  '*.carToken',
  '*.*.carToken',
  '*.password',
  '*.*.password',
  '*.*.*.password',
  // Not '*.token': run summaries count calls per endpoint family, one of which is `token`.
  'target.car.token',
  '*.target.car.token',
  'car.token',
  '*.car.token',
  '*.accessToken',
  '*.access_token',
  '*.client_secret',
  'clientSecret',
  'password',
  'token',
  'accessToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.headers.authorization',
];

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default so stdout stays free for command output. */
  destination?: DestinationStream | NodeJS.WritableStream;
  /** Extra fields bound on every line. */
  base?: Record<string, unknown>;
}

/** Creates the root logger. Call once per process (CLI, server) and pass it down. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pinoDestination({ fd: 2, sync: true });
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? null,
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: errorSerializer(options.level ?? 'info') },
    },
    destination as DestinationStream,
  );
}

/**
 * Errors are logged by code, message and the facts they carry; the stack trace only at debug
 * and trace, so operators see what failed and what to do rather than our call stack.
 */
function errorSerializer(level: LogLevel): (err: unknown) => unknown {
  const withStack = level === 'debug' || level === 'trace';
  return (err) => {
    if (!(err instanceof Error)) return err;
    const fields = err as Error & Record<string, unknown>;
    const out: Record<string, unknown> = { type: err.name, message: err.message };
    for (const key of ['code', 'status', 'apiCode', 'retryAfterSeconds', 'details']) {
      if (fields[key] !== undefined) out[key] = fields[key];
    }
    if (err.cause instanceof Error) out.cause = `${err.cause.name}: ${err.cause.message}`;
    if (withStack) out.stack = err.stack;
    return out;
  };
}

/** A logger that writes nothing; for library callers and tests that do not assert on logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
