import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { call, startHarness, token, type Harness } from './helpers.ts';

describe('the simulated clock and the control endpoints', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ machines: 300, quotas: false });
  });
  afterAll(() => h.close());

  const control = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await request(`${h.sim.url}${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: h.agent,
    });
    return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
  };

  it('reports the state without a token', async () => {
    const state = await control('GET', '/_sim/state');
    expect(state.status).toBe(200);
    expect(state.json).toMatchObject({
      tenantId: h.sim.tenantId,
      machines: 300,
      now: '2025-06-02T12:00:00.000Z',
    });
  });

  it('advances the clock so machines are seen again and an incremental filter finds them', async () => {
    const before = h.sim.clock.now().toISOString();
    const res = await control('POST', '/_sim/clock/advance', { minutes: 60 });
    // A token issued before the jump has expired (lifetime 3599 s), so ask after it.
    const t = await token(h);
    expect(res.status).toBe(200);
    expect(res.json.now).toBe('2025-06-02T13:00:00.000Z');
    const changes = res.json.changes as { seenAgain: number; newMachines: number };
    expect(changes.seenAgain).toBeGreaterThan(0);
    const listing = await call(h, 'GET', `/api/machines?$filter=lastSeen gt ${before}`, {
      token: t,
    });
    expect(listing.status, listing.text).toBe(200);
    const recent = (listing.json as { value: unknown[] }).value.length;
    expect(recent).toBeGreaterThanOrEqual(changes.seenAgain + changes.newMachines - 1);
    expect((await control('GET', '/_sim/state')).json.version).toBe(1);
  });

  it('refuses a malformed advance body', async () => {
    expect((await control('POST', '/_sim/clock/advance', { minutes: 'soon' })).status).toBe(400);
  });

  it('counts requests per endpoint family', async () => {
    const stats = h.sim.stats();
    expect(stats.token).toBeGreaterThan(0);
    expect(stats.machines).toBeGreaterThan(0);
    expect(stats.control).toBeGreaterThan(0);
  });
});
