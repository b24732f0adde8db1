import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkShape } from '../../unit/simulator/shape-checker.ts';
import {
  ALERT,
  GRAPH_ERROR,
  GRAPH_USER,
  LOGON_USER,
  MACHINE,
  MACHINE_VULNERABILITY,
  MDE_ERROR,
  SOFTWARE,
  VULNERABILITY,
} from '../../unit/simulator/shapes.ts';
import { call, startHarness, token, type Harness } from './helpers.ts';

type Listing = {
  value: Record<string, unknown>[];
  '@odata.nextLink'?: string;
  '@odata.context': string;
};

describe('Defender listings over HTTPS (30 machines)', () => {
  let h: Harness;
  let t: string;
  const get = async (path: string) => call(h, 'GET', path, { token: t });
  const list = async (path: string): Promise<Listing> => {
    const res = await get(path);
    expect(res.status, res.text).toBe(200);
    return res.json as Listing;
  };

  beforeAll(async () => {
    h = await startHarness({ machines: 30, quotas: false });
    t = await token(h);
  });
  afterAll(() => h.close());

  it('lists every machine in the machine shape, with the OData headers of the service', async () => {
    const res = await get('/api/machines');
    expect(res.headers['content-type']).toBe(
      'application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8',
    );
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const body = res.json as Listing;
    expect(body['@odata.context']).toBe(`${h.sim.url}/api/$metadata#Machines`);
    expect(body.value).toHaveLength(30);
    expect(body['@odata.nextLink']).toBeUndefined();
    for (const m of body.value) expect(checkShape(m, MACHINE, { strict: true })).toEqual([]);
  });

  it('answers /api/v1.0/machines like /api/machines', async () => {
    expect((await list('/api/v1.0/machines')).value.map((m) => m.id)).toEqual(
      (await list('/api/machines')).value.map((m) => m.id),
    );
  });

  it('pages with $top and $skip, never sending a next link when $top is given', async () => {
    const first = await list('/api/machines?$top=20');
    const second = await list('/api/machines?$top=20&$skip=20');
    expect(first.value).toHaveLength(20);
    expect(second.value).toHaveLength(10);
    expect(first['@odata.nextLink']).toBeUndefined();
    expect(new Set([...first.value, ...second.value].map((m) => m.id)).size).toBe(30);
  });

  it('refuses $top above 10,000 with an ODataError', async () => {
    const res = await get('/api/machines?$top=10001');
    expect(res.status).toBe(400);
    expect(checkShape(res.json, MDE_ERROR)).toEqual([]);
    expect(res.json).toMatchObject({ error: { code: 'ODataError' } });
  });

  it('filters with any property case and enum case, unquoted datetimes, startswith, any() and not', async () => {
    const all = (await list('/api/machines')).value;
    const active = all.filter((m) => m.healthStatus === 'Active').length;
    expect((await list("/api/machines?$filter=HealthStatus eq 'active'")).value).toHaveLength(
      active,
    );
    expect((await list("/api/machines?$filter=not (healthStatus eq 'Active')")).value).toHaveLength(
      30 - active,
    );
    const cut = '2025-06-01T12:00:00Z';
    const recent = all.filter((m) => Date.parse(m.lastSeen as string) >= Date.parse(cut)).length;
    expect((await list(`/api/machines?$filter=lastSeen ge ${cut}`)).value).toHaveLength(recent);
    expect((await list('/api/machines?$filter=lastSeen gt 2018-08-01Z')).value).toHaveLength(30);
    const name = String(all[0]?.computerDnsName);
    const prefix = name.slice(0, 4);
    const starting = all.filter((m) =>
      String(m.computerDnsName).toLowerCase().startsWith(prefix.toLowerCase()),
    ).length;
    expect(
      (await list(`/api/machines?$filter=startswith(computerDnsName,'${prefix}')`)).value,
    ).toHaveLength(starting);
    const tagged = all.filter((m) => (m.machineTags as string[]).length > 0);
    const tag = (tagged[0]?.machineTags as string[] | undefined)?.[0] ?? 'NoSuchTag';
    const withTag = all.filter((m) => (m.machineTags as string[]).includes(tag)).length;
    expect(
      (await list(`/api/machines?$filter=machineTags/any(t: t eq '${tag}')`)).value,
    ).toHaveLength(withTag);
    const combined = all.filter(
      (m) => m.healthStatus === 'Active' && (m.riskScore === 'High' || m.riskScore === 'Medium'),
    ).length;
    expect(
      (
        await list(
          "/api/machines?$filter=healthStatus eq 'Active' and (riskScore eq 'High' or riskScore eq 'Medium')",
        )
      ).value,
    ).toHaveLength(combined);
  });

  it('refuses a filter on a property the endpoint does not filter on', async () => {
    const res = await get('/api/machines?$filter=firstSeen gt 2024-01-01Z');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'ODataError' } });
    expect((res.json as { error: { message: string } }).error.message).toContain('firstSeen');
  });

  it('orders with $orderby and trims with $select', async () => {
    const ordered = (await list('/api/machines?$orderby=lastSeen desc')).value.map((m) =>
      Date.parse(m.lastSeen as string),
    );
    expect(ordered).toEqual([...ordered].sort((a, b) => b - a));
    const selected = (await list('/api/machines?$select=id,computerDnsName&$top=3')).value;
    expect(Object.keys(selected[0] ?? {})).toEqual(['id', 'computerDnsName']);
  });

  it('finds a machine by id and by computer name, and answers 404 ResourceNotFound otherwise', async () => {
    const [first] = (await list('/api/machines?$top=1')).value;
    const byId = await get(`/api/machines/${first?.id}`);
    expect(byId.json).toMatchObject({
      id: first?.id,
      '@odata.context': `${h.sim.url}/api/$metadata#Machines/$entity`,
    });
    const byName = await get(`/api/machines/${encodeURIComponent(String(first?.computerDnsName))}`);
    expect(byName.status).toBe(200);
    const missing = await get('/api/machines/123123123');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      error: { code: 'ResourceNotFound', message: 'Machine 123123123 was not found' },
    });
  });

  it('serves logged-on users, vulnerabilities and software of a machine in their shapes', async () => {
    const onboarded = h.sim.tenant.machines.find(
      (m) => m.onboardingStatus === 'Onboarded' && !/iOS|Android/.test(m.osPlatform ?? ''),
    );
    const users = await list(`/api/machines/${onboarded?.id}/logonusers`);
    expect(users.value.length).toBeGreaterThan(0);
    for (const u of users.value) expect(checkShape(u, LOGON_USER, { strict: true })).toEqual([]);
    for (const v of (await list(`/api/machines/${onboarded?.id}/vulnerabilities`)).value)
      expect(checkShape(v, VULNERABILITY, { strict: true })).toEqual([]);
    for (const s of (await list(`/api/machines/${onboarded?.id}/software`)).value)
      expect(checkShape(s, SOFTWARE, { strict: true })).toEqual([]);
  });

  it('lists alerts with evidence only when $expand=evidence is asked for', async () => {
    const plain = (await list('/api/alerts')).value;
    expect(plain.length).toBe(h.sim.tenant.alerts.length);
    expect(plain.every((a) => (a.evidence as unknown[]).length === 0)).toBe(true);
    const expanded = (await list('/api/alerts?$expand=evidence')).value;
    expect(expanded.some((a) => (a.evidence as unknown[]).length > 0)).toBe(true);
    for (const a of expanded) expect(checkShape(a, ALERT, { strict: true })).toEqual([]);
    const open = (
      await list(
        "/api/alerts?$filter=status ne 'Resolved' and lastUpdateTime ge 2025-05-01T00:00:00.0000000Z&$orderby=lastUpdateTime asc",
      )
    ).value;
    expect(open.every((a) => a.status !== 'Resolved')).toBe(true);
    const single = await get(`/api/alerts/${plain[0]?.id}?$expand=evidence`);
    expect(single.status).toBe(200);
  });

  it('lists machine-vulnerability pairs and the vulnerability catalogue', async () => {
    const pairs = (await list('/api/vulnerabilities/machinesVulnerabilities?$top=50')).value;
    for (const p of pairs)
      expect(checkShape(p, MACHINE_VULNERABILITY, { strict: true })).toEqual([]);
    const cve = String(pairs[0]?.cveId);
    expect(
      (
        await list(`/api/vulnerabilities/machinesVulnerabilities?$filter=cveId eq '${cve}'`)
      ).value.every((p) => p.cveId === cve),
    ).toBe(true);
    const catalogue = (await list('/api/vulnerabilities?$top=10')).value;
    for (const v of catalogue) expect(checkShape(v, VULNERABILITY, { strict: true })).toEqual([]);
  });

  it('compresses with deflate when both codings are accepted, gzip when only gzip is', async () => {
    const both = await call(h, 'GET', '/api/machines?$top=2', {
      token: t,
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    expect(both.headers['content-encoding']).toBe('deflate');
    expect((both.json as Listing).value).toHaveLength(2);
    const gzip = await call(h, 'GET', '/api/machines?$top=2', {
      token: t,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const none = await call(h, 'GET', '/api/machines?$top=2', { token: t });
    expect(none.headers['content-encoding']).toBeUndefined();
  });
});

describe('Graph users over HTTPS', () => {
  let h: Harness;
  let t: string;
  beforeAll(async () => {
    h = await startHarness({ machines: 400 });
    t = await token(h, 'https://graph.microsoft.com/.default');
  });
  afterAll(() => h.close());

  it('pages with $top and an opaque $skiptoken next link until every user is read', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/v1.0/users?$top=50';
    let pages = 0;
    while (path) {
      const res = await call(h, 'GET', path, { token: t });
      expect(res.status, res.text).toBe(200);
      const body = res.json as Listing;
      for (const u of body.value) expect(checkShape(u, GRAPH_USER, { strict: true })).toEqual([]);
      seen.push(...body.value.map((u) => u.id as string));
      path = body['@odata.nextLink']
        ? new URL(body['@odata.nextLink']).pathname + new URL(body['@odata.nextLink']).search
        : undefined;
      expect(path === undefined || path.includes('$skiptoken=')).toBe(true);
      pages += 1;
    }
    expect(new Set(seen).size).toBe(h.sim.tenant.users.length);
    expect(pages).toBe(Math.ceil(h.sim.tenant.users.length / 50));
  });

  it('refuses $top=1000 with the Graph message and $skip altogether', async () => {
    const res = await call(h, 'GET', '/v1.0/users?$top=1000', { token: t });
    expect(res.status).toBe(400);
    expect(checkShape(res.json, GRAPH_ERROR)).toEqual([]);
    expect((res.json as { error: { message: string } }).error.message).toBe(
      "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.",
    );
    expect((await call(h, 'GET', '/v1.0/users?$skip=5', { token: t })).status).toBe(400);
  });

  it('returns the selected properties only', async () => {
    const res = await call(
      h,
      'GET',
      '/v1.0/users?$top=2&$select=id,onPremisesSamAccountName,accountEnabled',
      { token: t },
    );
    expect(Object.keys((res.json as Listing).value[0] ?? {})).toEqual([
      'id',
      'onPremisesSamAccountName',
      'accountEnabled',
    ]);
  });
});

describe('a tenant above 10,000 machines', () => {
  let h: Harness;
  let t: string;
  beforeAll(async () => {
    h = await startHarness({ machines: 10_050, quotas: false });
    t = await token(h);
  }, 120_000);
  afterAll(() => h.close());

  it('sends 10,000 machines and a next link with $skip=10000 when $top is absent', async () => {
    const first = await call(h, 'GET', '/api/machines?$filter=lastSeen gt 2018-08-01Z', {
      token: t,
      headers: { 'accept-encoding': 'deflate' },
    });
    const body = first.json as Listing;
    expect(body.value).toHaveLength(10_000);
    const next = new URL(body['@odata.nextLink'] ?? '');
    expect(next.searchParams.get('$skip')).toBe('10000');
    expect(next.searchParams.get('$filter')).toBe('lastSeen gt 2018-08-01Z');
    const second = (await call(h, 'GET', next.pathname + next.search, { token: t }))
      .json as Listing;
    expect(second.value).toHaveLength(50);
    expect(second['@odata.nextLink']).toBeUndefined();
    const withTop = (await call(h, 'GET', '/api/machines?$top=10000', { token: t }))
      .json as Listing;
    expect(withTop['@odata.nextLink']).toBeUndefined();
  });
});
