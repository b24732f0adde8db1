import { describe, expect, it } from 'vitest';
import { Metrics } from '../../../src/server/metrics.ts';
import { Router } from '../../../src/server/router.ts';
import { summaryOf } from '../runner/fixtures.ts';

describe('metrics', () => {
  it('counts runs by outcome, API calls by family and throttle waits, in Prometheus text', () => {
    const metrics = new Metrics();
    metrics.recordRun(summaryOf('ok', { durationMs: 800 }));
    metrics.recordRun(
      summaryOf('deferred', { durationMs: 40_000, throttleWaits: 3, throttleWaitMs: 9000 }),
    );
    const text = metrics.render([
      {
        connection: 'c"1',
        state: 'connected',
        configurations: [
          { configuration: 'p', state: 'connected', lastSuccessAt: '2026-01-01T00:00:10.000Z' },
        ],
      },
    ]);
    expect(text).toContain('mde_car_runs_total{outcome="ok"} 1');
    expect(text).toContain('mde_car_runs_total{outcome="deferred"} 1');
    expect(text).toContain('mde_car_api_calls_total{family="hunting"} 6');
    expect(text).toContain('mde_car_throttle_waits_total 4');
    expect(text).toContain('mde_car_throttle_wait_seconds_total 9.5');
    expect(text).toContain('mde_car_run_duration_seconds_bucket{le="1"} 1');
    expect(text).toContain('mde_car_run_duration_seconds_bucket{le="60"} 2');
    expect(text).toContain('mde_car_run_duration_seconds_count 2');
    expect(text).toContain(
      'mde_car_last_success_timestamp_seconds{connection="c\\"1",configuration="p"} 1767225610',
    );
    expect(text).toContain('# TYPE mde_car_run_duration_seconds histogram');
  });
});

describe('router', () => {
  const router = new Router([
    {
      method: 'GET',
      path: '/api/connections/{connection}',
      needsToken: false,
      handler: () => ({ status: 200, json: 1 }),
    },
    {
      method: 'PUT',
      path: '/api/connections/{connection}',
      needsToken: true,
      handler: () => ({ status: 200, json: 2 }),
    },
  ]);

  it('decodes path parameters', () => {
    expect(router.match('GET', '/api/connections/a%2Eb')?.params).toEqual({ connection: 'a.b' });
  });

  it('answers 405 with the allowed methods for a known path and nothing for an unknown one', () => {
    expect(() => router.match('DELETE', '/api/connections/x')).toThrow(
      expect.objectContaining({ status: 405 }),
    );
    expect(router.match('GET', '/api/connections/x/y')).toBeUndefined();
  });

  it('does not let a parameter span a slash', () => {
    expect(router.match('GET', '/api/connections/a/b')).toBeUndefined();
  });
});
