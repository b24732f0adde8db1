import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkShape } from '../../unit/simulator/shape-checker.ts';
import { HUNTING_RESPONSE, MDE_ERROR } from '../../unit/simulator/shapes.ts';
import { call, startHarness, token, type Harness } from './helpers.ts';

type Answer = { Schema: { Name: string; Type: string }[]; Results: Record<string, unknown>[] };

describe('advanced hunting over HTTPS', () => {
  let h: Harness;
  let t: string;
  const run = (query: string, path = '/api/advancedqueries/run', key = 'Query') =>
    call(h, 'POST', path, {
      token: t,
      body: JSON.stringify({ [key]: query }),
      headers: { 'content-type': 'application/json' },
    });

  beforeAll(async () => {
    h = await startHarness({ machines: 30, quotas: false });
    t = await token(h);
  });
  afterAll(() => h.close());

  it('answers with .NET type names, 7-digit datetimes and the plain JSON content type', async () => {
    const res = await run(
      'DeviceInfo | project Timestamp, DeviceId, OSBuild, IsAzureADJoined | take 5',
    );
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['odata-version']).toBeUndefined();
    expect(checkShape(res.json, HUNTING_RESPONSE)).toEqual([]);
    const body = res.json as Answer;
    expect(body.Schema).toEqual([
      { Name: 'Timestamp', Type: 'DateTime' },
      { Name: 'DeviceId', Type: 'String' },
      { Name: 'OSBuild', Type: 'Int64' },
      { Name: 'IsAzureADJoined', Type: 'Boolean' },
    ]);
    expect(body.Results).toHaveLength(5);
    for (const row of body.Results)
      expect(row.Timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
  });

  it('accepts the trailing-slash path and sends dynamic columns as JSON strings', async () => {
    const res = await run(
      'DeviceNetworkInfo | project DeviceId, MacAddress, IPAddresses',
      '/api/advancedqueries/run/',
    );
    expect(res.status, res.text).toBe(200);
    const body = res.json as Answer;
    expect(body.Schema.find((c) => c.Name === 'IPAddresses')?.Type).toBe('Object');
    const first = body.Results.find((r) => r.IPAddresses !== '[]');
    expect(typeof first?.IPAddresses).toBe('string');
    expect(Array.isArray(JSON.parse(first?.IPAddresses as string))).toBe(true);
  });

  it('writes ReportIds beyond 2^53 digit for digit', async () => {
    const big = h.sim.tenant.tables
      .get('DeviceNetworkInfo')
      ?.rows.find((r) => typeof r.ReportId === 'bigint');
    expect(big).toBeDefined();
    const res = await run(
      `DeviceNetworkInfo | where DeviceId == '${big?.DeviceId}' | project ReportId`,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain(`"ReportId":${String(big?.ReportId)}`);
  });

  it('answers the legacy table names with the legacy columns', async () => {
    const res = await run('MachineInfo | project EventTime, MachineId, ComputerName | take 3');
    expect(res.status, res.text).toBe(200);
    expect((res.json as Answer).Schema.map((c) => c.Name)).toEqual([
      'EventTime',
      'MachineId',
      'ComputerName',
    ]);
  });

  it('refuses a body whose key is not spelled Query with InvalidRequestBody', async () => {
    const res = await run('DeviceInfo | take 1', undefined, 'query');
    expect(res.status).toBe(400);
    expect(checkShape(res.json, MDE_ERROR)).toEqual([]);
    expect(res.json).toMatchObject({ error: { code: 'InvalidRequestBody' } });
  });

  it('answers a syntax error with a 400 error body', async () => {
    const res = await run('DeviceInfo | whre x');
    expect(res.status).toBe(400);
    expect(checkShape(res.json, MDE_ERROR)).toEqual([]);
  });

  it('answers a query over more than 100,000 rows with the result-size message', async () => {
    const logons = h.sim.tenant.tables.get('DeviceLogonEvents')?.rows.length ?? 0;
    const copies = Array.from({ length: Math.ceil(100_001 / logons) }, (_, i) => i).join(',');
    const res = await run(
      `DeviceLogonEvents | project DeviceId | extend copy = dynamic([${copies}]) | mv-expand copy`,
    );
    expect(res.status).toBe(400);
    expect((res.json as { error: { message: string } }).error.message).toBe(
      'Query execution has exceeded the allowed result size. Optimize your query by limiting the number of results and try again',
    );
  });
});
