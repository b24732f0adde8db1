import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { ScenarioFile } from '../../../src/simulator/index.ts';
import { call, startHarness, token, type Harness } from './helpers.ts';

type Listing = { value: { id: string }[]; '@odata.nextLink'?: string };

describe('scenario files', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('plays a 429 and then falls through to the tenant (field fault B04)', async () => {
    const scenario: ScenarioFile = {
      rules: [
        {
          match: { method: 'POST', path: '/api/advancedqueries/run' },
          responses: [
            {
              status: 429,
              headers: { 'Retry-After': '7' },
              body: {
                error: { code: 'TooManyRequests', message: 'Call quota reached', target: 'x' },
              },
            },
          ],
        },
      ],
    };
    h = await startHarness({ scenario });
    const t = await token(h);
    const body = JSON.stringify({ Query: 'DeviceInfo | take 1' });
    const first = await call(h, 'POST', '/api/advancedqueries/run', { token: t, body });
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect(first.json).toMatchObject({ error: { code: 'TooManyRequests' } });
    const second = await call(h, 'POST', '/api/advancedqueries/run', { token: t, body });
    expect(second.status).toBe(200);
  });

  it('matches on query parameters and repeats the last response when told to', async () => {
    h = await startHarness({
      scenario: {
        rules: [
          {
            match: { path: '/api/v1.0/machines', query: { $skip: '2' } },
            responses: [{ status: 503, body: 'busy' }],
            then: 'repeat-last',
          },
        ],
      },
    });
    const t = await token(h);
    expect((await call(h, 'GET', '/api/machines?$top=2', { token: t })).status).toBe(200);
    expect((await call(h, 'GET', '/api/machines?$top=2&$skip=2', { token: t })).status).toBe(503);
    const again = await call(h, 'GET', '/api/machines?$top=2&$skip=2', { token: t });
    expect(again.status).toBe(503);
    expect(again.text).toBe('busy');
  });

  it('delays, truncates and cuts off passthrough responses', async () => {
    h = await startHarness({
      scenario: {
        rules: [
          {
            match: { path: '/api/alerts' },
            responses: [
              { passthrough: true, delayMs: 300 },
              { passthrough: true, truncate: true },
              { passthrough: true, disconnect: true },
            ],
          },
        ],
      },
    });
    const t = await token(h);
    const started = Date.now();
    expect((await call(h, 'GET', '/api/alerts', { token: t })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const truncated = await call(h, 'GET', '/api/alerts', { token: t });
    expect(truncated.status).toBe(200);
    expect(truncated.json).toBeUndefined();
    await expect(call(h, 'GET', '/api/alerts', { token: t })).rejects.toThrow();
    expect((await call(h, 'GET', '/api/alerts', { token: t })).status).toBe(200);
  });

  it('repeats the first next link on every page when repeatingNextLink is on (Q2)', async () => {
    h = await startHarness({
      machines: 30,
      scenario: { rules: [], options: { repeatingNextLink: true, pageSize: 10 } },
    });
    const t = await token(h);
    const first = (await call(h, 'GET', '/api/machines', { token: t })).json as Listing;
    const link = new URL(first['@odata.nextLink'] ?? '');
    expect(link.searchParams.get('$skip')).toBe('10');
    const second = (await call(h, 'GET', link.pathname + link.search, { token: t }))
      .json as Listing;
    expect(new URL(second['@odata.nextLink'] ?? '').searchParams.get('$skip')).toBe('10');
    expect(second.value.map((m) => m.id)).not.toEqual(first.value.map((m) => m.id));
  });

  it('reads a scenario file from disk and takes new rules from POST /_sim/scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-scenario-'));
    try {
      const file = join(dir, 'scenario.json');
      writeFileSync(
        file,
        JSON.stringify({
          rules: [
            {
              match: { method: 'GET', path: '/api/machines/*' },
              responses: [
                {
                  status: 404,
                  body: {
                    error: {
                      code: 'ResourceNotFound',
                      message: 'Machine x was not found',
                      target: 't',
                    },
                  },
                },
              ],
            },
          ],
        }),
      );
      h = await startHarness({ scenario: file });
      const t = await token(h);
      const id = h.sim.tenant.machines[0]?.id ?? '';
      expect((await call(h, 'GET', `/api/machines/${id}/logonusers`, { token: t })).status).toBe(
        404,
      );
      expect((await call(h, 'GET', `/api/machines/${id}/logonusers`, { token: t })).status).toBe(
        200,
      );
      const replaced = await request(`${h.sim.url}/_sim/scenario`, {
        method: 'POST',
        body: JSON.stringify({
          rules: [{ match: { path: '/api/alerts' }, responses: [{ status: 500, body: '' }] }],
        }),
        dispatcher: h.agent,
      });
      expect(replaced.statusCode).toBe(200);
      await replaced.body.dump();
      expect((await call(h, 'GET', '/api/alerts', { token: t })).status).toBe(500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers from a folder of recorded responses every time, and the tenant otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-recordings-'));
    try {
      const recorded = {
        value: [
          {
            id: 'aaaa000000000000000000000000000000000001',
            computerDnsName: 'host-1.example.test',
          },
        ],
      };
      writeFileSync(
        join(dir, '01-machines.json'),
        JSON.stringify({
          request: { method: 'GET', path: '/api/machines' },
          response: { status: 200, body: recorded },
        }),
      );
      h = await startHarness({ recordings: dir });
      const t = await token(h);
      for (let i = 0; i < 2; i += 1)
        expect((await call(h, 'GET', '/api/machines', { token: t })).json).toEqual(recorded);
      expect((await call(h, 'GET', '/api/alerts', { token: t })).status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a scenario without rules and names the problem', async () => {
    await expect(
      startHarness({ scenario: { rules: [{ match: { path: '/api/alerts' }, responses: [] }] } }),
    ).rejects.toMatchObject({ code: 'SIMULATOR_FAILED' });
  });
});
