import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpsTestServer, type HttpsTestServer } from '../../helpers/https-test-server.ts';
import { clientFor, collect } from './client-fixture.ts';
import { hasCode, MdeHttpError } from '../../../src/errors.ts';
import { parseMdeTime } from '../../../src/mde/time.ts';

const SAMPLES = resolve(import.meta.dirname, '../../../../shared/samples/mde');
const hasSamples = existsSync(SAMPLES);
const sample = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(SAMPLES, name), 'utf8')) as Record<string, unknown>;
const title = hasSamples
  ? 'real Defender payloads'
  : 'real Defender payloads (SKIPPED: ../shared/samples/mde is absent)';

let server: HttpsTestServer;
beforeAll(async () => {
  if (hasSamples) server = await startHttpsTestServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  server?.reset({
    roles: [
      'Machine.Read.All',
      'Alert.Read.All',
      'AdvancedQuery.Read.All',
      'User.Read.All',
      'Vulnerability.Read.All',
    ],
  });
});

describe.skipIf(!hasSamples)(title, () => {
  it('lists the captured machines page sent with Content-Encoding: deflate', async () => {
    const page = sample('machines-page.json') as { value: { id: string }[] };
    server.on('GET', '/api/machines', {
      body: page,
      encoding: 'deflate',
      headers: {
        'content-type':
          'application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8',
        'odata-version': '4.0',
      },
    });
    const { client } = clientFor(server);

    const machines = (await collect(client.listMachines())).flat();
    await client.close();

    const unique = new Set(page.value.map((m) => m.id));
    expect(machines.map((m) => m.id)).toEqual([...unique]);
  });

  it('accepts a raw (unwrapped) deflate stream as well', async () => {
    server.on('GET', '/api/machines', {
      body: sample('machines-docs-example.json'),
      encoding: 'deflate-raw',
    });
    const { client } = clientFor(server);

    const machines = (await collect(client.listMachines())).flat();
    await client.close();

    expect(machines.length).toBeGreaterThan(0);
  });

  it('reads alerts with evidence and the legacy alert shape', async () => {
    const current = sample('alerts-with-evidence.json') as { value: unknown[] };
    const legacy = sample('alerts-legacy-shape.json') as { value: unknown[] };
    server.on('GET', '/api/alerts', { body: { value: [...current.value, ...legacy.value] } });
    const { client } = clientFor(server);

    const pages = [];
    for await (const page of client.listAlerts()) pages.push(page);
    await client.close();

    expect(pages.flatMap((p) => p.items)).toHaveLength(current.value.length + legacy.value.length);
    expect(parseMdeTime(pages.at(-1)?.nextCursor?.time)).toBeDefined();
  });

  it('reads the DeviceNetworkInfo answer with its ReportId beyond 2^53 as bigint', async () => {
    server.on('POST', '/api/advancedqueries/run', {
      body: readFileSync(resolve(SAMPLES, 'advanced-query-devicenetworkinfo.json'), 'utf8'),
    });
    const { client } = clientFor(server);

    const result = await client.runHuntingQuery('DeviceNetworkInfo | take 2');
    await client.close();

    expect(result.Results.map((r) => r.ReportId)).toContain(639199916335081329n);
  });

  it('accepts hunting answers with Stats and with empty Results', async () => {
    server.on(
      'POST',
      '/api/advancedqueries/run',
      { body: sample('advanced-hunting-response-with-stats.json') },
      { body: sample('advanced-query-empty-results.json') },
    );
    const { client } = clientFor(server);

    const first = await client.runHuntingQuery('DeviceInfo');
    const second = await client.runHuntingQuery('DeviceInfo');
    await client.close();

    expect(first.Results.length).toBeGreaterThan(0);
    expect(second.Results).toEqual([]);
  });

  it('reads logged-on users, machine vulnerabilities (ignoring @odata.count 0) and Graph users', async () => {
    const graphPage = sample('graph-users-page-with-nextlink.json');
    const link = String(graphPage['@odata.nextLink']).replace(
      'https://graph.microsoft.com',
      server.origin,
    );
    server.on('GET', '/api/machines/m1/logonusers', { body: sample('logonusers.json') });
    server.on('GET', '/api/vulnerabilities/machinesVulnerabilities', {
      body: sample('machines-vulnerabilities-page.json'),
    });
    server.on('GET', '/v1.0/users', (req) =>
      req.query.has('$skiptoken')
        ? { body: sample('graph-users.json') }
        : { body: { ...graphPage, '@odata.nextLink': link } },
    );
    const { client } = clientFor(server);

    const users = await client.listLogonUsers('m1');
    const vulnerabilities = (await collect(client.listMachineVulnerabilities())).flat();
    const graphUsers = (await collect(client.listGraphUsers({ pageSize: 3 }))).flat();
    await client.close();

    expect(users?.length).toBe((sample('logonusers.json').value as unknown[]).length);
    expect(vulnerabilities.length).toBeGreaterThan(0);
    expect(graphUsers.length).toBeGreaterThan((graphPage.value as unknown[]).length);
  });

  it('maps the captured 403 body to MDE_FORBIDDEN with its apiCode', async () => {
    const error403 = sample('error-mde-403-missing-application-permission.json') as {
      _http_status: number;
      body: unknown;
    };
    server.on('GET', '/api/machines', { status: error403._http_status, body: error403.body });
    const { client } = clientFor(server);

    const error = await collect(client.listMachines()).catch((e: unknown) => e);
    await client.close();

    expect(hasCode(error, 'MDE_FORBIDDEN')).toBe(true);
    expect((error as MdeHttpError).apiCode).toBe('Forbidden');
  });

  it('waits out the captured hunting 429 body (code "429") and retries', async () => {
    const throttled = sample('error-mde-429-advanced-hunting-quota.json').per_minute as {
      _http_status: number;
      body: unknown;
    };
    server.on(
      'POST',
      '/api/advancedqueries/run',
      { status: throttled._http_status, headers: { 'retry-after': '3' }, body: throttled.body },
      { body: sample('advanced-query-response.json') },
    );
    const { client, sleeps } = clientFor(server);

    const result = await client.runHuntingQuery('DeviceInfo');
    await client.close();

    expect(result.Results.length).toBeGreaterThan(0);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3_000);
  });
});
