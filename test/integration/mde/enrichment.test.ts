import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpsTestServer, type HttpsTestServer } from '../../helpers/https-test-server.ts';
import { clientFor, collect } from './client-fixture.ts';
import { hasCode } from '../../../src/errors.ts';
import { checkConnection } from '../../../src/mde/connection-check.ts';
import { parseMdeTime } from '../../../src/mde/time.ts';

const M1 = 'aaaa0000000000000000000000000000000000001';
const M2 = 'aaaa0000000000000000000000000000000000002';
const notFound = (id: string) => ({
  status: 404,
  body: {
    error: { code: 'ResourceNotFound', message: `Machine ${id} was not found`, target: '|3x' },
  },
});
const user = {
  id: 'contoso\\user-1',
  accountName: 'user-1',
  accountDomain: 'contoso',
  firstSeen: '2024-03-02T08:15:30.12Z',
  lastSeen: '2024-03-12T08:15:30Z',
};

let server: HttpsTestServer;
beforeAll(async () => {
  server = await startHttpsTestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset({
    roles: ['Machine.Read.All', 'Alert.Read.All', 'User.Read.All', 'AdvancedQuery.Read.All'],
  });
});

describe('logged-on users of a machine just listed (B28)', () => {
  it('retries a 404 once and returns the users when the second call succeeds', async () => {
    server.on('GET', `/api/machines/${M1}/logonusers`, notFound(M1), { body: { value: [user] } });
    const { client, sleeps } = clientFor(server);

    const users = await client.listLogonUsers(M1);
    await client.close();

    expect(users).toEqual([user]);
    expect(sleeps).toHaveLength(1);
  });

  it('returns undefined after two 404s so the asset is kept, and other machines still load', async () => {
    server.on('GET', `/api/machines/${M1}/logonusers`, notFound(M1));
    server.on('GET', `/api/machines/${M2}/logonusers`, { body: { value: [user] } });
    const { client } = clientFor(server);

    const first = await client.listLogonUsers(M1);
    const second = await client.listLogonUsers(M2);
    await client.close();

    expect(first).toBeUndefined();
    expect(second).toHaveLength(1);
    expect(server.apiRequests().filter((r) => r.path.includes(M1))).toHaveLength(2);
  });
});

describe('timestamps with 0, 1 or 7 fractional digits in machines and logged-on users (B08)', () => {
  it('delivers every record with its time strings untouched, each parsing to the intended UTC instant', async () => {
    const machines = [
      { id: M1, firstSeen: '2024-03-01T10:00:00Z', lastSeen: '2024-03-13T06:40:13.9880000Z' },
      { id: M2, firstSeen: '2024-03-01T10:00:00.5Z', lastSeen: '2024-03-13T06:40:13.98Z' },
    ];
    server.on('GET', '/api/machines', { body: { value: machines } });
    server.on('GET', `/api/machines/${M1}/logonusers`, { body: { value: [user] } });
    const { client } = clientFor(server);

    const listed = (await collect(client.listMachines())).flat();
    const users = await client.listLogonUsers(M1);
    await client.close();

    expect(listed).toEqual(machines);
    expect(users?.[0]?.firstSeen).toBe('2024-03-02T08:15:30.12Z');
    const instants = [
      ...machines.flatMap((m) => [m.firstSeen, m.lastSeen]),
      user.firstSeen,
      user.lastSeen,
    ].map((t) => new Date(parseMdeTime(t)!.epochMs).toISOString());
    expect(instants).toEqual([
      '2024-03-01T10:00:00.000Z',
      '2024-03-13T06:40:13.988Z',
      '2024-03-01T10:00:00.500Z',
      '2024-03-13T06:40:13.980Z',
      '2024-03-02T08:15:30.120Z',
      '2024-03-12T08:15:30.000Z',
    ]);
  });
});

describe('a missing optional permission (B11)', () => {
  beforeEach(() => {
    server.reset({ roles: ['Machine.Read.All', 'Alert.Read.All'] });
    server.on('GET', '/api/machines', { body: { value: [{ id: M1 }, { id: M2 }] } });
    server.on('GET', '/api/alerts', {
      body: { value: [{ id: 'da1', machineId: M1, lastUpdateTime: '2024-05-01T00:00:00Z' }] },
    });
    const forbidden = {
      status: 403,
      body: {
        error: {
          code: 'Forbidden',
          message:
            'Application lacks a required role. Needed: User.Read.All. Present: Machine.Read.All, Alert.Read.All.',
        },
      },
    };
    server.on('GET', `/api/machines/${M1}/logonusers`, forbidden);
    server.on('GET', `/api/machines/${M2}/logonusers`, forbidden);
  });

  it('keeps machines and alerts readable and stops calling logonusers after the first 403', async () => {
    const { client } = clientFor(server);

    const machines = (await collect(client.listMachines())).flat();
    const alerts = (await collect(client.listAlerts())).flat();
    const errors = [
      await client.listLogonUsers(M1).catch((e: unknown) => e),
      await client.listLogonUsers(M2).catch((e: unknown) => e),
    ];
    await client.close();

    expect(machines).toHaveLength(2);
    expect(alerts).toHaveLength(1);
    expect(errors.every((e) => hasCode(e, 'MDE_FORBIDDEN'))).toBe(true);
    expect(server.apiRequests().filter((r) => r.path.endsWith('/logonusers'))).toHaveLength(1);
  });

  it('lists the parts disabled by permissions in the connection test, and the sync can run', async () => {
    const { client } = clientFor(server);

    const check = await checkConnection(client);
    await client.close();

    expect(check.ok).toBe(true);
    expect(check.missingRequired).toEqual([]);
    const users = check.disabledParts.find((d) => d.part === 'users');
    expect(users?.reason).toContain('User.Read.All');
    expect(check.disabledParts.map((d) => d.part)).toEqual(
      expect.arrayContaining(['network', 'vulnerabilities', 'graphUsers']),
    );
    expect(check.verdict).toMatch(/^OK/);
    expect(check.verdict).toContain(
      'users disabled: User.Read.All and AdvancedQuery.Read.All are missing',
    );
  });
});

describe('connection test verdicts', () => {
  it('fails with MDE_FORBIDDEN when no machine role is granted', async () => {
    server.reset({ roles: ['Alert.Read.All'] });
    server.on('GET', '/api/machines', { status: 403, body: { error: { code: 'Forbidden' } } });
    server.on('GET', '/api/alerts', { body: { value: [] } });
    const { client } = clientFor(server);

    const check = await checkConnection(client);
    await client.close();

    expect(check.ok).toBe(false);
    expect(check.failureCode).toBe('MDE_FORBIDDEN');
    expect(check.missingRequired).toEqual(['Machine.Read.All or Machine.ReadWrite.All']);
  });

  it('probes every granted family once and passes with all roles', async () => {
    server.reset({
      roles: [
        'Machine.Read.All',
        'Alert.Read.All',
        'User.Read.All',
        'AdvancedQuery.Read.All',
        'Vulnerability.Read.All',
      ],
      graphRoles: ['User.Read.All'],
    });
    server.on('GET', '/api/machines', { body: { value: [{ id: M1 }] } });
    server.on('GET', '/api/alerts', { body: { value: [] } });
    server.on('POST', '/api/advancedqueries/run', {
      body: { Schema: [], Results: [{ DeviceId: M1 }] },
    });
    server.on('GET', `/api/machines/${M1}/logonusers`, { body: { value: [user] } });
    server.on('GET', '/api/vulnerabilities/machinesVulnerabilities', { body: { value: [] } });
    server.on('GET', '/v1.0/users', { body: { value: [{ id: 'u1' }] } });
    const { client } = clientFor(server);

    const check = await checkConnection(client);
    await client.close();

    expect(check.ok).toBe(true);
    expect(check.disabledParts).toEqual([]);
    expect(check.probes.map((p) => p.family)).toEqual([
      'token',
      'graph-token',
      'machines',
      'alerts',
      'hunting',
      'logonusers',
      'vulnerabilities',
      'graph',
    ]);
    expect(check.probes.every((p) => p.ok)).toBe(true);
  });
});

describe('advanced hunting answers (mde-api.md §2.3, Q19, Q21)', () => {
  it('reads integers beyond 2^53 as bigint and leaves JSON-in-JSON columns as received', async () => {
    const text =
      '{"Schema":[{"Name":"ReportId","Type":"Int64"}],"Results":[' +
      '{"DeviceId":"a","ReportId":639199916335081329,"SubnetPrefix":24,"Score":1.5,"IPAddresses":"[{\\"IPAddress\\":\\"10.0.0.5\\"}]"},' +
      '{"DeviceId":"b","ReportId":12,"IPAddresses":[{"IPAddress":"100.64.0.9"}]}]}';
    server.on('POST', '/api/advancedqueries/run', { body: text, encoding: 'gzip' });
    const { client } = clientFor(server);

    const result = await client.runHuntingQuery('DeviceNetworkInfo | take 2');
    await client.close();

    const [a, b] = result.Results;
    expect(a?.ReportId).toBe(639199916335081329n);
    expect(a?.SubnetPrefix).toBe(24);
    expect(a?.Score).toBe(1.5);
    expect(a?.IPAddresses).toBe('[{"IPAddress":"10.0.0.5"}]');
    expect(b?.ReportId).toBe(12);
    expect(b?.IPAddresses).toEqual([{ IPAddress: '100.64.0.9' }]);
  });

  it('retries a truncated answer and then reports MDE_BAD_RESPONSE', async () => {
    server.on('POST', '/api/advancedqueries/run', { body: '{"Schema":[],"Results":[{"DeviceId":' });
    const { client } = clientFor(server, { http: { retryBudget: 1 } });

    const error = await client.runHuntingQuery('DeviceInfo').catch((e: unknown) => e);
    await client.close();

    expect(hasCode(error, 'MDE_BAD_RESPONSE')).toBe(true);
    expect(server.apiRequests()).toHaveLength(2);
  });
});
