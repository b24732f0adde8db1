import { afterEach, describe, expect, it } from 'vitest';
import { call, startHarness, token, type Harness } from './helpers.ts';

describe('call quotas', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers the 101st machines call in a minute with 429, Retry-After and TooManyRequests', async () => {
    h = await startHarness({ machines: 5 });
    const t = await token(h);
    for (let i = 0; i < 100; i += 1)
      expect((await call(h, 'GET', '/api/machines?$top=1', { token: t })).status).toBe(200);
    const refused = await call(h, 'GET', '/api/machines?$top=1', { token: t });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect((await call(h, 'GET', '/api/alerts?$top=1', { token: t })).status).toBe(200);
    expect(h.sim.stats().throttled).toBe(1);
  });

  it('answers the 46th hunting call in a minute with code "429" and the real message', async () => {
    h = await startHarness({ machines: 5 });
    const t = await token(h);
    const run = () =>
      call(h as Harness, 'POST', '/api/advancedqueries/run', {
        token: t,
        body: JSON.stringify({ Query: 'DeviceInfo | take 1' }),
      });
    for (let i = 0; i < 45; i += 1) expect((await run()).status).toBe(200);
    const refused = await run();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json).toMatchObject({
      error: { code: '429', message: 'API calls quota exceeded! maximum allowed 45 per 00:01:00' },
    });
  });

  it('never throttles with quotas off', async () => {
    h = await startHarness({ machines: 5, quotas: false });
    const t = await token(h);
    for (let i = 0; i < 120; i += 1)
      expect((await call(h, 'GET', '/api/machines?$top=1', { token: t })).status).toBe(200);
  });
});
