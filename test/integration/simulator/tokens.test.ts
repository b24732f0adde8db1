import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLoopbackCertificate } from '../../../src/simulator/tls.ts';
import { checkShape } from '../../unit/simulator/shape-checker.ts';
import { ENTRA_ERROR, TOKEN_V1, TOKEN_V2 } from '../../unit/simulator/shapes.ts';
import { call, claimsOf, form, startHarness, token, type Harness } from './helpers.ts';

const CERT_APP = '22222222-2222-4222-8222-222222222222';
const LIMITED_APP = '33333333-3333-4333-8333-333333333333';
const appCert = generateLoopbackCertificate('simulator test app');
const otherCert = generateLoopbackCertificate('someone else');

function assertion(h: Harness, key: string, overrides: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({
      aud: `${h.sim.url}/${h.sim.tenantId}/oauth2/v2.0/token`,
      iss: CERT_APP,
      sub: CERT_APP,
      jti: 'x',
      nbf: now,
      exp: now + 600,
      ...overrides,
    }),
  ).toString('base64url');
  const signature = createSign('RSA-SHA256')
    .update(`${header}.${payload}`)
    .sign(key)
    .toString('base64url');
  return `${header}.${payload}.${signature}`;
}

describe('Entra token endpoints', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      tokenLifetimeSeconds: 600,
      applications: [
        { clientId: CERT_APP, certificatePem: appCert.cert, roles: ['Machine.Read.All'] },
        {
          clientId: LIMITED_APP,
          clientSecret: 'limited-secret',
          roles: ['Machine.Read.All', 'Alert.Read.All'],
          graphRoles: [],
        },
      ],
    });
  });
  afterAll(() => h.close());

  const v2 = (fields: Record<string, string>, tenant?: string) =>
    call(
      h,
      'POST',
      `/${tenant ?? h.sim.tenantId}/oauth2/v2.0/token`,
      form({ grant_type: 'client_credentials', ...fields }),
    );

  it('issues a v2 token with numeric lifetimes and the claims of an app-only token', async () => {
    const res = await v2({
      client_id: h.sim.clientId,
      client_secret: h.sim.clientSecret,
      scope: 'https://api.securitycenter.microsoft.com/.default',
    });
    expect(res.status).toBe(200);
    expect(checkShape(res.json, TOKEN_V2, { strict: true })).toEqual([]);
    const body = res.json as { expires_in: number; access_token: string };
    expect(body.expires_in).toBe(600);
    const claims = claimsOf(body.access_token);
    expect(claims.aud).toBe('https://api.securitycenter.microsoft.com');
    expect(claims.tid).toBe(h.sim.tenantId);
    expect(claims.appid).toBe(h.sim.clientId);
    expect(claims.roles).toContain('Machine.Read.All');
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
  });

  it('issues a v1 token whose numbers are strings', async () => {
    const res = await call(
      h,
      'POST',
      `/${h.sim.tenantId}/oauth2/token`,
      form({
        grant_type: 'client_credentials',
        client_id: h.sim.clientId,
        client_secret: h.sim.clientSecret,
        resource: 'https://api.securitycenter.microsoft.com',
      }),
    );
    expect(res.status).toBe(200);
    expect(checkShape(res.json, TOKEN_V1, { strict: true })).toEqual([]);
    expect((res.json as { expires_in: unknown }).expires_in).toBe('600');
  });

  it('accepts the secret in a Basic authorization header', async () => {
    const basic = Buffer.from(`${h.sim.clientId}:${h.sim.clientSecret}`).toString('base64');
    const res = await call(h, 'POST', `/${h.sim.tenantId}/oauth2/v2.0/token`, {
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${basic}`,
      },
    });
    expect(res.status).toBe(200);
    expect(claimsOf((res.json as { access_token: string }).access_token).aud).toBe(
      'https://graph.microsoft.com',
    );
  });

  it.each([
    ['a wrong secret', { client_secret: 'wrong' }, undefined, 401, 'invalid_client', 7000215],
    [
      'an unknown client id',
      { client_id: '99999999-9999-4999-8999-999999999999' },
      undefined,
      400,
      'unauthorized_client',
      700016,
    ],
    ['an unknown tenant', {}, '12345678-1234-1234-1234-123456789012', 400, 'invalid_tenant', 90002],
    [
      'a bad scope',
      { scope: 'https://foo.mock.test/.default' },
      undefined,
      400,
      'invalid_scope',
      70011,
    ],
  ] as const)(
    'refuses %s with the real error body',
    async (_label, overrides, tenant, status, error, code) => {
      const res = await v2(
        {
          client_id: h.sim.clientId,
          client_secret: h.sim.clientSecret,
          scope: 'https://api.securitycenter.microsoft.com/.default',
          ...overrides,
        },
        tenant,
      );
      expect(res.status).toBe(status);
      expect(checkShape(res.json, ENTRA_ERROR)).toEqual([]);
      expect(res.json).toMatchObject({ error, error_codes: [code] });
      expect(res.text).not.toContain(h.sim.clientSecret);
    },
  );

  it('accepts a client assertion signed by the registered certificate', async () => {
    const res = await v2({
      client_id: CERT_APP,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion(h, appCert.key),
      scope: 'https://api.securitycenter.microsoft.com/.default',
    });
    expect(res.status).toBe(200);
    expect(claimsOf((res.json as { access_token: string }).access_token).roles).toEqual([
      'Machine.Read.All',
    ]);
  });

  it('refuses a client assertion signed by another key or for another audience', async () => {
    const base = {
      client_id: CERT_APP,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      scope: 'https://api.securitycenter.microsoft.com/.default',
    };
    const wrongKey = await v2({ ...base, client_assertion: assertion(h, otherCert.key) });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.json).toMatchObject({ error: 'invalid_client', error_codes: [700027] });
    const wrongAud = await v2({
      ...base,
      client_assertion: assertion(h, appCert.key, {
        aud: 'https://login.mock.test/x/oauth2/v2.0/token',
      }),
    });
    expect(wrongAud.status).toBe(401);
  });

  it('serves OpenID metadata with the fields MSAL requires', async () => {
    const res = await call(h, 'GET', `/${h.sim.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = res.json as Record<string, unknown>;
    for (const field of [
      'issuer',
      'authorization_endpoint',
      'token_endpoint',
      'end_session_endpoint',
      'jwks_uri',
      'response_types_supported',
      'subject_types_supported',
      'id_token_signing_alg_values_supported',
    ]) {
      expect(doc[field], field).toBeDefined();
    }
    expect(doc.token_endpoint).toBe(`${h.sim.url}/${h.sim.tenantId}/oauth2/v2.0/token`);
    const keys = await call(h, 'GET', new URL(doc.jwks_uri as string).pathname);
    expect((keys.json as { keys: unknown[] }).keys).toHaveLength(1);
  });
});

describe('tokens at the Defender and Graph APIs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      tokenLifetimeSeconds: 60,
      applications: [
        {
          clientId: LIMITED_APP,
          clientSecret: 'limited-secret',
          roles: ['Machine.Read.All', 'Alert.Read.All'],
          graphRoles: [],
        },
      ],
    });
  });
  afterAll(() => h.close());

  it('answers 401 without a token and with a forged one', async () => {
    expect((await call(h, 'GET', '/api/machines')).status).toBe(401);
    const forged = (await token(h)).replace(/\.[^.]+$/, '.AAAA');
    const res = await call(h, 'GET', '/api/machines', { token: forged });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: 'Unauthorized' } });
  });

  it('answers 403 when a Graph token is used on the Defender API, and the reverse', async () => {
    const graph = await token(h, 'https://graph.microsoft.com/.default');
    const mde = await token(h);
    const onApi = await call(h, 'GET', '/api/machines', { token: graph });
    expect(onApi.status).toBe(403);
    expect(onApi.json).toMatchObject({ error: { code: 'Forbidden' } });
    expect((await call(h, 'GET', '/v1.0/users', { token: mde })).status).toBe(403);
  });

  it('answers 403 naming the required roles when the token lacks them', async () => {
    const limited = await token(h, undefined, LIMITED_APP, 'limited-secret');
    expect((await call(h, 'GET', '/api/machines', { token: limited })).status).toBe(200);
    const res = await call(h, 'POST', '/api/advancedqueries/run', {
      token: limited,
      body: JSON.stringify({ Query: 'DeviceInfo | take 1' }),
    });
    expect(res.status).toBe(403);
    expect((res.json as { error: { message: string } }).error.message).toContain(
      'AdvancedQuery.Read.All',
    );
    const graph = await token(
      h,
      'https://graph.microsoft.com/.default',
      LIMITED_APP,
      'limited-secret',
    );
    const users = await call(h, 'GET', '/v1.0/users', { token: graph });
    expect(users.status).toBe(403);
    expect(users.json).toMatchObject({ error: { code: 'Authorization_RequestDenied' } });
  });

  it('answers 401 once the token has expired on the simulated clock', async () => {
    const t = await token(h);
    expect((await call(h, 'GET', '/api/machines?$top=1', { token: t })).status).toBe(200);
    h.sim.clock.advance(61_000);
    const res = await call(h, 'GET', '/api/machines?$top=1', { token: t });
    expect(res.status).toBe(401);
    const graphToken = await token(h, 'https://graph.microsoft.com/.default');
    h.sim.clock.advance(61_000);
    const graph = await call(h, 'GET', '/v1.0/users', { token: graphToken });
    expect(graph.status).toBe(401);
    expect(graph.json).toMatchObject({
      error: {
        code: 'InvalidAuthenticationToken',
        message: 'Lifetime validation failed, the token is expired.',
      },
    });
  });
});
