/**
 * The connector's error family. Every error carries a stable `code` (listed in docs/errors.md;
 * a test keeps the two in step) and an optional `cause`. Callers branch on `code`, never on
 * message text. Messages say what failed, with which value, and what to do next; they never
 * contain a secret.
 */

/** Error codes, one line each in docs/errors.md. */
export const ERROR_CODES = {
  CONFIG_INVALID: 'a configuration value is missing or has the wrong form',
  CONFIG_FILE_UNREADABLE: 'the configuration file cannot be read or is not JSON',
  MDE_AUTH_FAILED: 'Entra ID refused to issue a token (wrong tenant, client id, secret or scope)',
  MDE_UNAUTHORIZED: 'the Defender API rejected the token (401) even after one refresh',
  MDE_FORBIDDEN: 'the token lacks a role or has the wrong audience (403)',
  MDE_NOT_FOUND: 'the Defender API answered 404 for a resource',
  MDE_BAD_REQUEST: 'the Defender API rejected the request (400)',
  MDE_THROTTLED: 'the Defender API answered 429 and the retry budget is spent',
  MDE_DEFERRED: 'a throttling wait is longer than the configured ceiling; the run resumes later',
  MDE_SERVER_ERROR: 'the Defender API answered 5xx and the retry budget is spent',
  MDE_NETWORK: 'the Defender API could not be reached (DNS, connect, TLS or timeout)',
  MDE_BAD_RESPONSE: 'the Defender API sent a body that is not the expected JSON',
  MDE_PAGING_LOOP: 'a paged listing repeated itself; paging stopped',
  CAR_AUTH_FAILED: 'the CAR service rejected the credentials (401/403)',
  CAR_IMPORT_FAILED: 'the CAR service rejected or failed an import',
  CAR_UNAVAILABLE: 'the CAR service could not be reached or answered 5xx',
  CAR_BAD_RESPONSE: 'the CAR service sent a response that cannot be understood',
  STORE_FAILED: 'the embedded store could not be opened, migrated or written',
  STORE_BUSY: 'another sync of the same source holds the store lock',
  SYNC_FAILED: 'a sync run failed; the checkpoint was kept',
  SEARCH_INPUT_INVALID: 'a search value is not an IP address, MAC address or host name',
  SIMULATOR_FAILED: 'the Defender simulator could not start or was given bad options',
  SERVER_FAILED: 'the HTTP server could not start or was given bad options',
  INPUT_INVALID: 'a value sent to the API or the CLI is malformed',
  NOT_FOUND: 'a connection, configuration or other named item asked for does not exist',
  CONFLICT: 'the change clashes with the current state (a duplicate name, or a run already going)',
  UNAUTHORIZED: 'a change to the HTTP API came without the API token or with a wrong one',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ConnectorErrorOptions {
  cause?: unknown;
  /** Extra machine-readable facts (never secrets): ids, statuses, keys. */
  details?: Record<string, unknown>;
}

/** Base class: a stable code, a message a person can act on, and the wrapped cause. */
export class ConnectorError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Configuration is missing, malformed or contradictory. */
export class ConfigError extends ConnectorError {
  readonly key: string | undefined;

  constructor(message: string, options: ConnectorErrorOptions & { key?: string } = {}) {
    super('CONFIG_INVALID', message, options);
    this.key = options.key;
  }
}

/** Entra ID would not issue a token. `aadCode` is the AADSTS number when the body had one. */
export class MdeAuthError extends ConnectorError {
  readonly aadCode: number | undefined;

  constructor(message: string, options: ConnectorErrorOptions & { aadCode?: number } = {}) {
    super('MDE_AUTH_FAILED', message, options);
    this.aadCode = options.aadCode;
  }
}

/** A Defender, Entra or Graph HTTP call failed after the retry policy gave up. */
export class MdeHttpError extends ConnectorError {
  readonly status: number | undefined;
  /** `error.code` from the response body, e.g. `ResourceNotFound`, `TooManyRequests`, `429`. */
  readonly apiCode: string | undefined;
  /** Seconds from `Retry-After`, when the response had one. */
  readonly retryAfterSeconds: number | undefined;
  readonly url: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: ConnectorErrorOptions & {
      status?: number;
      apiCode?: string;
      retryAfterSeconds?: number;
      url?: string;
    } = {},
  ) {
    super(code, message, options);
    this.status = options.status;
    this.apiCode = options.apiCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.url = options.url;
  }
}

/**
 * A throttling wait is longer than the ceiling: the run ends as *deferred*. `resumeAfter` is
 * the earliest instant to try again; `resume` is an opaque, JSON-serialisable position (for
 * example the next page URL) that the caller stores with the run.
 */
export class MdeDeferredError extends ConnectorError {
  readonly resumeAfter: Date;
  resume: unknown;

  constructor(
    message: string,
    options: ConnectorErrorOptions & { resumeAfter: Date; resume?: unknown },
  ) {
    super('MDE_DEFERRED', message, options);
    this.resumeAfter = options.resumeAfter;
    this.resume = options.resume;
  }
}

/** The CAR service (or emulator) refused or failed a request. */
export class CarImportError extends ConnectorError {
  readonly status: number | undefined;

  constructor(
    code: Extract<ErrorCode, `CAR_${string}`>,
    message: string,
    options: ConnectorErrorOptions & { status?: number } = {},
  ) {
    super(code, message, options);
    this.status = options.status;
  }
}

/** The embedded store failed. */
export class StoreError extends ConnectorError {
  constructor(
    message: string,
    options: ConnectorErrorOptions & { code?: 'STORE_FAILED' | 'STORE_BUSY' } = {},
  ) {
    super(options.code ?? 'STORE_FAILED', message, options);
  }
}

/** True when `err` is one of ours with the given code. */
export function hasCode(err: unknown, code: ErrorCode): err is ConnectorError {
  return err instanceof ConnectorError && err.code === code;
}
