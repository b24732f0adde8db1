import { describe, expect, it } from 'vitest';
import { QuotaTracker } from '../../../src/simulator/quotas.ts';
import { Rng, mixSeed } from '../../../src/simulator/random.ts';
import { ScenarioPlayer, validateScenario } from '../../../src/simulator/scenario.ts';

describe('scenario player', () => {
  const url = new URL('https://sim.mock.test/api/machines?$skip=2');

  it('serves responses in order, then lets requests through', () => {
    const player = new ScenarioPlayer([
      { match: { path: '/api/machines' }, responses: [{ status: 429 }, { status: 200 }] },
    ]);
    expect(player.next('GET', '/api/v1.0/machines/', url)?.status).toBe(429);
    expect(player.next('GET', '/api/machines', url)?.status).toBe(200);
    expect(player.next('GET', '/api/machines', url)).toBeUndefined();
  });

  it('repeats the last response with then: repeat-last, and matches method and query', () => {
    const player = new ScenarioPlayer([
      {
        match: { method: 'GET', path: '/API/Machines', query: { $skip: '2' } },
        responses: [{ status: 503 }],
        then: 'repeat-last',
      },
    ]);
    expect(player.next('POST', '/api/machines', url)).toBeUndefined();
    expect(
      player.next('GET', '/api/machines', new URL('https://sim.mock.test/api/machines')),
    ).toBeUndefined();
    expect(player.next('GET', '/api/machines', url)?.status).toBe(503);
    expect(player.next('GET', '/api/machines', url)?.status).toBe(503);
  });

  it('rejects a response with neither status nor passthrough, naming the rule', () => {
    expect(() =>
      validateScenario({ rules: [{ match: { path: '/x' }, responses: [{ delayMs: 5 }] }] }),
    ).toThrow(/rules\[0\]\.responses\[0\]/);
    expect(() => validateScenario({})).toThrow(/rules/);
  });
});

describe('quota tracker', () => {
  it('refuses the call over the minute limit with the wait until the oldest call leaves the window', () => {
    let now = 1_000_000;
    const quotas = new QuotaTracker(
      {
        machines: { perMinute: 2, perHour: 5 },
        alerts: { perMinute: 1, perHour: 1 },
        logonusers: { perMinute: 1, perHour: 1 },
        vulnerabilities: { perMinute: 1, perHour: 1 },
        hunting: { perMinute: 1, perHour: 1 },
      },
      () => now,
    );
    expect(quotas.take('machines')).toBeUndefined();
    now += 10_000;
    expect(quotas.take('machines')).toBeUndefined();
    expect(quotas.take('machines')).toEqual({ window: 'minute', limit: 2, retryAfterSeconds: 50 });
    now += 50_001;
    expect(quotas.take('machines')).toBeUndefined();
  });

  it('refuses over the hour limit once the minute window has room', () => {
    let now = 0;
    const limit = { perMinute: 10, perHour: 3 };
    const quotas = new QuotaTracker(
      { machines: limit, alerts: limit, logonusers: limit, vulnerabilities: limit, hunting: limit },
      () => now,
    );
    for (let i = 0; i < 3; i += 1) {
      expect(quotas.take('hunting')).toBeUndefined();
      now += 120_000;
    }
    expect(quotas.take('hunting')).toMatchObject({
      window: 'hour',
      limit: 3,
      retryAfterSeconds: 3240,
    });
    expect(quotas.take('alerts')).toBeUndefined();
  });
});

describe('seeded random source', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const a = new Rng(mixSeed(1, 'x'));
    const b = new Rng(mixSeed(1, 'x'));
    const c = new Rng(mixSeed(2, 'x'));
    const take = (r: Rng) => Array.from({ length: 5 }, () => r.int(0, 1_000_000));
    expect(take(a)).toEqual(take(b));
    expect(take(new Rng(mixSeed(1, 'x')))).not.toEqual(take(c));
  });

  it('makes GUIDs and hex of the requested form', () => {
    const rng = new Rng(5);
    expect(rng.guid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(rng.hex(40)).toMatch(/^[0-9a-f]{40}$/);
    expect(rng.hex(7)).toHaveLength(7);
  });
});
