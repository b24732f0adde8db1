/**
 * One call to Defender or Graph under the client's policy (DESIGN.md §4): pace per family, a
 * bearer token, one refresh and one retry on 401, never a retry on 403, `Retry-After` (or
 * capped exponential back-off with jitter) on 429, back-off on 5xx, timeouts and resets inside
 * the client's retry budget, and a typed *deferred* error when a wait exceeds the ceiling.
 * Decisions use the status and `error.code`, never message text.
 */
import type { HttpConfig } from '../config/types.ts';
import { MdeDeferredError, MdeHttpError, type ErrorCode } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Transport, TransportResponse } from './http.ts';
import { decodeJwtClaims, rolesOf } from './jwt.ts';
import type { QuotaPacer } from './quota.ts';
import type { StatsRecorder } from './stats.ts';
import type { TokenSource } from './token.ts';
import type { EndpointFamily } from './types.ts';
import { describeForbidden, errorBodyOf, retryAfterMs } from './responses.ts';

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 60_000;
const RETRY_AFTER_JITTER_MS = 1_000;
/** Attempts of one request, whatever the budget says, so one call cannot spin. */
const MAX_ATTEMPTS = 6;

/** Transport error codes worth another attempt; TLS and DNS failures are not. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export interface CallSpec<T> {
  family: EndpointFamily;
  method: 'GET' | 'POST';
  url: string;
  /** Token scope (Defender API or Graph). */
  scope: string;
  body?: string;
  /** Parses a 2xx body; a throw counts as a bad (possibly truncated) response. */
  parse: (text: string) => T;
  /** Position to store when the call defers (MdeDeferredError.resume). */
  resume?: unknown;
}

export interface RequesterDeps {
  transport: Transport;
  tokens: TokenSource;
  pacer: QuotaPacer;
  stats: StatsRecorder;
  http: HttpConfig;
  logger: Logger;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  random: () => number;
}

/** Runs calls under the retry, throttling and token policy. */
export class Requester {
  private retriesLeft: number;

  constructor(private readonly deps: RequesterDeps) {
    this.retriesLeft = deps.http.retryBudget;
  }

  /** Sends `spec` and returns the parsed body of the 2xx answer; throws `ConnectorError`s. */
  async call<T>(spec: CallSpec<T>): Promise<T> {
    const { tokens, stats } = this.deps;
    let hasRefreshed = false;
    let token = await tokens.get(spec.scope);

    for (let attempt = 1; ; attempt += 1) {
      await this.pace(spec.family);
      const response = await this.send(spec, token, attempt);
      if (response === undefined) continue;

      if (response.status >= 200 && response.status < 300) {
        try {
          return spec.parse(response.text);
        } catch (err) {
          await this.retryOrThrow(
            spec,
            attempt,
            'MDE_BAD_RESPONSE',
            `${spec.method} ${spec.url} answered a body that is not the expected JSON`,
            err,
          );
          continue;
        }
      }
      if (response.status === 401 && !hasRefreshed) {
        hasRefreshed = true;
        this.deps.logger.info({ family: spec.family }, 'token refused, refreshing once');
        token = await tokens.refresh(spec.scope);
        stats.add(spec.family, { tokenRefreshes: 1 });
        continue;
      }
      await this.handleFailure(spec, response, token, attempt);
    }
  }

  private async send(
    spec: CallSpec<unknown>,
    token: string,
    attempt: number,
  ): Promise<TransportResponse | undefined> {
    const started = this.deps.now().getTime();
    try {
      const response = await this.deps.transport.send({
        method: spec.method,
        url: spec.url,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(spec.body === undefined ? {} : { body: spec.body }),
      });
      this.deps.stats.add(spec.family, { calls: 1, bytesReceived: response.wireBytes });
      this.deps.logger.debug(
        {
          family: spec.family,
          method: spec.method,
          url: spec.url,
          status: response.status,
          durationMs: this.deps.now().getTime() - started,
        },
        'request done',
      );
      return response;
    } catch (err) {
      this.deps.stats.add(spec.family, { calls: 1 });
      const code = (err as { code?: string }).code ?? '';
      if (!RETRYABLE_NETWORK_CODES.has(code)) {
        throw new MdeHttpError(
          'MDE_NETWORK',
          `${spec.method} ${spec.url} failed (${code || 'network error'}); check the host, proxy, http.caFile and network`,
          { cause: err, url: spec.url },
        );
      }
      await this.retryOrThrow(
        spec,
        attempt,
        'MDE_NETWORK',
        `${spec.method} ${spec.url} failed (${code})`,
        err,
      );
      return undefined;
    }
  }

  private async handleFailure(
    spec: CallSpec<unknown>,
    response: TransportResponse,
    token: string,
    attempt: number,
  ): Promise<void> {
    const status = response.status;
    const body = errorBodyOf(response.text);
    const facts = {
      status,
      url: spec.url,
      ...(body.code === undefined ? {} : { apiCode: body.code }),
    };
    // A body code that only repeats the status (some proxies answer {"code": "429"}) adds nothing.
    const shownCode = body.code !== undefined && body.code !== String(status) ? ` ${body.code}` : '';
    const what = `${spec.method} ${spec.url} answered ${status}${shownCode}`;

    if (status === 401) {
      throw new MdeHttpError(
        'MDE_UNAUTHORIZED',
        `${what} again after a token refresh; check that the application and its secret are still valid`,
        facts,
      );
    }
    if (status === 403) {
      const claims = decodeJwtClaims(token);
      throw new MdeHttpError(
        'MDE_FORBIDDEN',
        `${what}: ${describeForbidden(claims?.aud, expectedAudience(spec.scope), rolesOf(claims))}`,
        facts,
      );
    }
    if (status === 429) return this.waitForThrottle(spec, response, attempt, what);
    if (status >= 500)
      return this.retryOrThrow(spec, attempt, 'MDE_SERVER_ERROR', what, undefined, status);
    const code: ErrorCode =
      status === 404 ? 'MDE_NOT_FOUND' : status === 400 ? 'MDE_BAD_REQUEST' : 'MDE_BAD_RESPONSE';
    throw new MdeHttpError(code, `${what}${body.message ? `: ${body.message}` : ''}`, facts);
  }

  private async waitForThrottle(
    spec: CallSpec<unknown>,
    response: TransportResponse,
    attempt: number,
    what: string,
  ): Promise<void> {
    const { http, now, random, stats, sleep, logger } = this.deps;
    const retryAfter = retryAfterMs(response.headers['retry-after'], now());
    const waitMs =
      retryAfter === undefined
        ? backoffMs(attempt, random)
        : retryAfter + Math.floor(random() * RETRY_AFTER_JITTER_MS);
    const retryAfterSeconds = retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000);

    if ((retryAfter ?? waitMs) > http.maxRetryWaitSeconds * 1000) {
      const resumeAfter = new Date(now().getTime() + (retryAfter ?? waitMs));
      throw new MdeDeferredError(
        `${what}: the quota frees up at ${resumeAfter.toISOString()}, beyond http.maxRetryWaitSeconds (${http.maxRetryWaitSeconds}); the run is deferred and resumes from here`,
        {
          resumeAfter,
          resume: spec.resume,
          details: { family: spec.family, url: spec.url, retryAfterSeconds },
        },
      );
    }
    if (this.retriesLeft <= 0 || attempt >= MAX_ATTEMPTS) {
      throw new MdeHttpError(
        'MDE_THROTTLED',
        `${what}; the retry budget (http.retryBudget ${http.retryBudget}) is spent, try again later`,
        {
          status: 429,
          url: spec.url,
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        },
      );
    }
    this.retriesLeft -= 1;
    stats.add(spec.family, { throttleWaits: 1, throttleWaitMs: waitMs, retries: 1 });
    logger.warn({ family: spec.family, waitMs, retryAfterSeconds }, 'throttled, waiting');
    await sleep(waitMs);
  }

  private async retryOrThrow(
    spec: CallSpec<unknown>,
    attempt: number,
    code: ErrorCode,
    what: string,
    cause?: unknown,
    status?: number,
  ): Promise<void> {
    if (this.retriesLeft <= 0 || attempt >= MAX_ATTEMPTS) {
      throw new MdeHttpError(
        code,
        `${what}; gave up after ${attempt} attempts (http.retryBudget ${this.deps.http.retryBudget})`,
        {
          cause,
          url: spec.url,
          ...(status === undefined ? {} : { status }),
        },
      );
    }
    this.retriesLeft -= 1;
    const waitMs = backoffMs(attempt, this.deps.random);
    this.deps.stats.add(spec.family, { retries: 1 });
    this.deps.logger.warn(
      { family: spec.family, code, status, attempt, waitMs },
      'request failed, retrying',
    );
    await this.deps.sleep(waitMs);
  }

  private async pace(family: EndpointFamily): Promise<void> {
    const { pacer, now, sleep, stats, logger, http } = this.deps;
    const nowMs = now().getTime();
    const waitMs = pacer.waitMs(family, nowMs);
    if (waitMs > http.maxRetryWaitSeconds * 1000) {
      const resumeAfter = new Date(nowMs + waitMs);
      throw new MdeDeferredError(
        `the ${family} call quota is used up until ${resumeAfter.toISOString()}; the run is deferred`,
        { resumeAfter, details: { family } },
      );
    }
    if (waitMs > 0) {
      stats.add(family, { throttleWaits: 1, throttleWaitMs: waitMs });
      logger.info({ family, waitMs }, 'pacing to stay within the call quota');
      await sleep(waitMs);
    }
    // Recorded at the planned time so a fake clock in tests cannot make the pacer spin.
    pacer.record(family, nowMs + waitMs);
  }
}

/** Capped exponential back-off with jitter: 1 s, 2 s, 4 s … up to 60 s, each × [0.5, 1). */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.floor(ceiling * (0.5 + random() / 2));
}

function expectedAudience(scope: string): string {
  return scope.replace(/\/\.default$/, '');
}
