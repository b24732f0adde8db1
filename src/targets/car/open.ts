/**
 * Builds the CAR service target from the loaded configuration: the base URL and credentials in
 * the existing connector's two modes (car-service.md §1.1; a token wins over key and password,
 * and its URL comes from CAR_SERVICE_URL_FOR_AUTHTOKEN), the HTTP client, and the ledger.
 */
import { ConfigError } from '../../errors.ts';
import type { AppConfig, CarConfig } from '../../config/types.ts';
import type { Logger } from '../../log.ts';
import { openEmbeddedStore } from '../embedded/index.ts';
import { CarApi } from './car-api.ts';
import { CarServiceTarget } from './car-target.ts';
import type { CarAuth, CarHttpOptions } from './http.ts';
import { CarHttpClient } from './http.ts';
import { DEFAULT_POLL_TIMING, type PollTiming } from './import-status.ts';
import type { Ledger } from './ledger.ts';

/** Knobs tests and tools may change; production uses the defaults. */
export interface CarTargetOverrides {
  http?: Partial<
    Pick<CarHttpOptions, 'maxAttempts' | 'retryBaseMs' | 'retryMaxWaitMs' | 'connectTimeoutMs'>
  >;
  poll?: Partial<PollTiming>;
  /** A ledger to use instead of the store at `config.target.dbPath`. */
  ledger?: Ledger;
}

/** Where to send requests and how to authenticate, checked; throws CONFIG_INVALID naming the key. */
export function carEndpoint(car: CarConfig): { baseUrl: string; auth: CarAuth } {
  if (car.token !== undefined && car.token !== '') {
    const url = car.urlForToken ?? car.url;
    if (url === undefined || url === '') {
      throw new ConfigError(
        'target.car.urlForToken is missing; with a CAR token set CAR_SERVICE_URL_FOR_AUTHTOKEN (or -car-service-url-for-token)',
        { key: 'target.car.urlForToken' },
      );
    }
    return { baseUrl: checkedBaseUrl(url, 'target.car.urlForToken'), auth: { token: car.token } };
  }
  if (car.url === undefined || car.url === '') {
    throw new ConfigError(
      'target.car.url is missing; set CAR_SERVICE_URL (or -car-service-url), e.g. https://<cp4s-host>/api/car/v2',
      {
        key: 'target.car.url',
      },
    );
  }
  if (
    car.key === undefined ||
    car.key === '' ||
    car.password === undefined ||
    car.password === ''
  ) {
    const key = car.key === undefined || car.key === '' ? 'target.car.key' : 'target.car.password';
    throw new ConfigError(
      `${key} is missing; set CAR_SERVICE_KEY and CAR_SERVICE_PASSWORD, or a token with CAR_SERVICE_AUTHTOKEN`,
      { key },
    );
  }
  return {
    baseUrl: checkedBaseUrl(car.url, 'target.car.url'),
    auth: { key: car.key, password: car.password },
  };
}

/** An http(s) URL whose path holds the `/v2` segment that v3 calls replace; `/api/car` gets `/v2`. */
function checkedBaseUrl(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `${key} "${value}" is not a URL; give e.g. https://<cp4s-host>/api/car/v2`,
      { key },
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${key} must be an http or https URL, not ${url.protocol}`, { key });
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(
      `${key} must not carry credentials; use CAR_SERVICE_KEY and CAR_SERVICE_PASSWORD`,
      { key },
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/api\/car$/.test(path)) url.pathname = `${path}/v2`;
  else if (!/\/v2(\/|$)/.test(path)) {
    throw new ConfigError(
      `${key} ${url.origin}${path} has no /v2 segment; give the base URL ending in /api/car/v2`,
      { key },
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** Opens the CAR target with its ledger at `config.target.dbPath`. */
export function openCarTarget(
  config: AppConfig,
  logger: Logger,
  overrides: CarTargetOverrides = {},
): CarServiceTarget {
  const log = logger.child({ component: 'car' });
  const { baseUrl, auth } = carEndpoint(config.target.car);
  const http = new CarHttpClient({
    baseUrl,
    auth,
    timeoutMs: config.target.car.timeoutMs,
    logger: log,
    ...overrides.http,
  });
  const api = new CarApi(http, { ...DEFAULT_POLL_TIMING, ...overrides.poll }, log);
  const ledger = overrides.ledger ?? openEmbeddedStore({ path: config.target.dbPath, logger });
  return new CarServiceTarget({
    api,
    ledger,
    logger: log,
    pageSize: config.target.car.pageSize,
    sourceName: config.connection.description === '' ? undefined : config.connection.description,
  });
}
