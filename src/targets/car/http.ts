/**
 * The HTTP layer of the CAR client: one undici Agent with connect, header and body timeouts,
 * CAR's two authentication modes, and retries with back-off for transport errors, 429 and 5xx
 * (PATCH included, unlike the existing connector, car-service.md §1.1). Statuses it does not
 * retry are handed back to the caller, except 401/403, which end the call as CAR_AUTH_FAILED.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { CarImportError } from '../../errors.ts';
import type { Logger } from '../../log.ts';

/** Basic auth with an API key and password, or `Authorization: car-token <token>`. */
export type CarAuth = { key: string; password: string } | { token: string };

export interface CarHttpOptions {
  /** Base URL ending in `/api/car/v2`; v3 calls replace that `/v2` with `/v3`. */
  baseUrl: string;
  auth: CarAuth;
  /** Header and body timeout of every request. */
  timeoutMs: number;
  connectTimeoutMs?: number;
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  /** First back-off wait; doubles per attempt with up to 25% jitter. */
  retryBaseMs?: number;
  /** Longest single wait, also the ceiling for `Retry-After`. */
  retryMaxWaitMs?: number;
  logger: Logger;
}

export interface CarRequest {
  /** Path relative to the base URL, already URL-encoded (see `pathOf`). */
  path: string;
  query?: Record<string, string>;
  /** Query text already encoded, appended after `query` (id lists joined by literal commas). */
  rawQuery?: string;
  body?: unknown;
  version?: 'v2' | 'v3';
}

export interface CarResponse {
  status: number;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
  text: string;
  url: string;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_RETRY_BASE_MS = 500;
const DEFAULT_RETRY_MAX_WAIT_MS = 30_000;
/** Idle keep-alive sockets close quickly so a finished run or test does not linger. */
const KEEP_ALIVE_TIMEOUT_MS = 4_000;

/** Joins URL-encoded path segments: `pathOf('source', 'a/b')` → `source/a%2Fb`. */
export function pathOf(...segments: string[]): string {
  return segments.map((segment) => encodeURIComponent(segment)).join('/');
}

/** The base URL without credentials or trailing slash, for messages and logs. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparsable URL)';
  }
}

/** Sends requests to one CAR service; safe to share across a run. */
export class CarHttpClient {
  readonly baseUrl: string;
  private readonly agent: Agent;
  private readonly authorization: string;
  private readonly options: Required<Omit<CarHttpOptions, 'auth' | 'logger'>>;
  private readonly logger: Logger;

  constructor(options: CarHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.authorization = authorizationHeader(options.auth);
    this.logger = options.logger;
    this.options = {
      baseUrl: this.baseUrl,
      timeoutMs: options.timeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      retryBaseMs: options.retryBaseMs ?? DEFAULT_RETRY_BASE_MS,
      retryMaxWaitMs: options.retryMaxWaitMs ?? DEFAULT_RETRY_MAX_WAIT_MS,
    };
    this.agent = new Agent({
      connect: { timeout: this.options.connectTimeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    });
  }

  /** Builds the full URL of a request (v3 by replacing the last `/v2` of the base URL). */
  urlFor(req: CarRequest): string {
    const base =
      req.version === 'v3' ? this.baseUrl.replace(/\/v2(?=\/|$)(?!.*\/v2)/, '/v3') : this.baseUrl;
    const query = Object.entries(req.query ?? {})
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .concat(req.rawQuery === undefined ? [] : [req.rawQuery])
      .join('&');
    return `${base}/${req.path}${query === '' ? '' : `?${query}`}`;
  }

  /**
   * Sends one request with the retry policy. Resolves with any status other than 401, 403,
   * 429 and 5xx; throws CAR_AUTH_FAILED for 401/403 and CAR_UNAVAILABLE when retries run out.
   */
  async send(method: string, req: CarRequest): Promise<CarResponse> {
    const url = this.urlFor(req);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);

    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(method, url, payload);
      if ('response' in outcome) return outcome.response;

      const waitMs = this.waitBefore(attempt + 1, outcome.retryAfterMs);
      if (attempt >= this.options.maxAttempts || waitMs === undefined) throw outcome.error;
      this.logger.warn(
        { method, url: displayUrl(url), attempt, waitMs, status: outcome.error.status },
        'car request retrying',
      );
      await sleep(waitMs);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async attempt(
    method: string,
    url: string,
    payload: string | undefined,
  ): Promise<{ response: CarResponse } | { error: CarImportError; retryAfterMs?: number }> {
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const res = await request(url, {
        method: method as 'GET',
        body: payload,
        dispatcher: this.agent,
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          authorization: this.authorization,
        },
      });
      status = res.statusCode;
      text = await res.body.text();
      const header = res.headers['retry-after'];
      retryAfter = Array.isArray(header) ? header[0] : header;
    } catch (err) {
      return { error: transportError(method, url, err) };
    }

    this.logger.debug({ method, url: displayUrl(url), status }, 'car request');
    if (status === 401 || status === 403) throw authError(url, status);
    if (status === 429 || status >= 500) {
      return {
        error: unavailableError(method, url, status, text),
        retryAfterMs: parseRetryAfterMs(retryAfter),
      };
    }
    return { response: { status, body: parseJson(text), text, url } };
  }

  /** Wait before the given attempt, or undefined when CAR asked for longer than the ceiling. */
  private waitBefore(attempt: number, retryAfterMs: number | undefined): number | undefined {
    if (retryAfterMs !== undefined) {
      return retryAfterMs > this.options.retryMaxWaitMs ? undefined : retryAfterMs;
    }
    const exponential = this.options.retryBaseMs * 2 ** (attempt - 2);
    const jitter = exponential * 0.25 * Math.random();
    return Math.min(this.options.retryMaxWaitMs, exponential + jitter);
  }
}

function authorizationHeader(auth: CarAuth): string {
  if ('token' in auth) return `car-token ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.key}:${auth.password}`).toString('base64')}`;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds. */
export function parseRetryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function authError(url: string, status: number): CarImportError {
  return new CarImportError(
    'CAR_AUTH_FAILED',
    `the CAR service at ${displayUrl(url)} rejected the credentials (HTTP ${status}); check ` +
      'the API key and password (CAR_SERVICE_KEY, CAR_SERVICE_PASSWORD) or the token ' +
      '(CAR_SERVICE_AUTHTOKEN with CAR_SERVICE_URL_FOR_AUTHTOKEN), and that the URL names the ' +
      'right tenant',
    { status, details: { url: displayUrl(url), status } },
  );
}

function unavailableError(method: string, url: string, status: number, text: string) {
  return new CarImportError(
    'CAR_UNAVAILABLE',
    `the CAR service answered HTTP ${status} to ${method} ${displayUrl(url)} after retries; ` +
      'check that the service is up and try the run again',
    { status, details: { url: displayUrl(url), status, body: text.slice(0, 500) } },
  );
}

function transportError(method: string, url: string, err: unknown): CarImportError {
  const code = (err as { code?: unknown }).code;
  const reason = typeof code === 'string' ? code : err instanceof Error ? err.message : 'error';
  return new CarImportError(
    'CAR_UNAVAILABLE',
    `the CAR service at ${displayUrl(url)} could not be reached (${reason}) for ${method}; ` +
      'check the URL, the network route and the service, then run again',
    { cause: err, details: { url: displayUrl(url), reason } },
  );
}
