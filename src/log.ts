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
    },
    destination as DestinationStream,
  );
}

/** A logger that writes nothing; for library callers and tests that do not assert on logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
