import { describe, expect, it } from 'vitest';
import type { CarConfig } from '../../../../src/config/types.ts';
import { hasCode } from '../../../../src/errors.ts';
import { parseRetryAfterMs } from '../../../../src/targets/car/http.ts';
import { parseCheckpoint } from '../../../../src/targets/car/model-state.ts';
import { carEndpoint } from '../../../../src/targets/car/open.ts';

const BASE: CarConfig = { pageSize: 2_000, timeoutMs: 1_000 };

function failure(car: CarConfig): unknown {
  try {
    carEndpoint(car);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('CAR endpoint from the configuration', () => {
  it('uses Basic auth with key and password against CAR_SERVICE_URL', () => {
    const endpoint = carEndpoint({
      ...BASE,
      url: 'https://car.mock.test/api/car/v2/',
      key: 'k',
      password: 'p',
    });
    expect(endpoint).toEqual({
      baseUrl: 'https://car.mock.test/api/car/v2',
      auth: { key: 'k', password: 'p' },
    });
  });

  it('lets a token win, with the URL for tokens', () => {
    const endpoint = carEndpoint({
      ...BASE,
      url: 'https://car.mock.test/api/car/v2',
      urlForToken: 'https://token.mock.test/api/car/v2',
      key: 'k',
      password: 'p',
      token: 't',
    });
    expect(endpoint).toEqual({
      baseUrl: 'https://token.mock.test/api/car/v2',
      auth: { token: 't' },
    });
  });

  it('adds /v2 to a URL ending in /api/car and rejects one without a /v2 segment', () => {
    expect(
      carEndpoint({ ...BASE, url: 'https://car.mock.test/api/car', key: 'k', password: 'p' })
        .baseUrl,
    ).toBe('https://car.mock.test/api/car/v2');
    expect(
      hasCode(
        failure({ ...BASE, url: 'https://car.mock.test/other', key: 'k', password: 'p' }),
        'CONFIG_INVALID',
      ),
    ).toBe(true);
  });

  it('names the missing key and never the password', () => {
    const error = failure({
      ...BASE,
      url: 'https://car.mock.test/api/car/v2',
      password: 'secret-pw',
    });
    expect(hasCode(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('target.car.key');
    expect((error as Error).message).not.toContain('secret-pw');
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates as milliseconds', () => {
    expect(parseRetryAfterMs('3')).toBe(3_000);
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    const inTwoSeconds = new Date(Date.now() + 2_000).toUTCString();
    expect(parseRetryAfterMs(inTwoSeconds)).toBeGreaterThan(0);
  });
});

describe('checkpoint in model_state_id', () => {
  it('reads our JSON checkpoint and ignores the float the existing connector stored', () => {
    const checkpoint = { source: 's', runId: 'r', updatedAt: '2024-05-01T00:00:00.000Z' };
    expect(parseCheckpoint(JSON.stringify(checkpoint), 's')).toEqual(checkpoint);
    expect(parseCheckpoint('1796397399106.521', 's')).toBeUndefined();
    expect(parseCheckpoint(JSON.stringify(checkpoint), 'other-source')).toBeUndefined();
  });
});
