import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { inflateSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type Agent } from 'undici';
import { generateLoopbackCertificate } from '../../../src/simulator/tls.ts';
import { call, claimsOf, startHarness, type Harness } from './helpers.ts';

/** The adapter DESIGN.md §10 describes: @azure/identity's requests go through an Agent that trusts the CA. */
function undiciHttpClient(agent: Agent): HttpClient {
  return {
    async sendRequest(req: PipelineRequest): Promise<PipelineResponse> {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers.toJSON(),
        body: typeof req.body === 'string' ? req.body : undefined,
        dispatcher: agent,
      });
      const headers = createHttpHeaders();
      for (const [name, value] of Object.entries(res.headers))
        if (value !== undefined) headers.set(name, String(value));
      // The SDK asks for gzip/deflate and expects the HTTP client to decode the body.
      const raw = Buffer.from(await res.body.arrayBuffer());
      const encoding = res.headers['content-encoding'];
      const body =
        encoding === 'deflate' ? inflateSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw;
      return { request: req, status: res.statusCode, headers, bodyAsText: body.toString('utf8') };
    },
  };
}

const CERT_APP = '44444444-4444-4444-8444-444444444444';
const appCert = generateLoopbackCertificate('identity test app');

describe('@azure/identity against the simulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      applications: [
        { clientId: CERT_APP, certificatePem: appCert.cert, roles: ['Machine.Read.All'] },
      ],
    });
  });
  afterAll(() => h.close());

  it('gets a Defender token with ClientSecretCredential and lists machines with it', async () => {
    const credential = new ClientSecretCredential(
      h.sim.tenantId,
      h.sim.clientId,
      h.sim.clientSecret,
      {
        authorityHost: h.sim.url,
        disableInstanceDiscovery: true,
        httpClient: undiciHttpClient(h.agent),
      },
    );
    const accessToken = await credential.getToken(
      'https://api.securitycenter.microsoft.com/.default',
    );
    expect(claimsOf(accessToken.token).aud).toBe('https://api.securitycenter.microsoft.com');
    expect(accessToken.expiresOnTimestamp).toBeGreaterThan(Date.now());
    const res = await call(h, 'GET', '/api/machines?$top=5', { token: accessToken.token });
    expect(res.status).toBe(200);
    expect((res.json as { value: unknown[] }).value).toHaveLength(5);
  });

  it('gets a token with ClientCertificateCredential, whose assertion the simulator verifies', async () => {
    const credential = new ClientCertificateCredential(
      h.sim.tenantId,
      CERT_APP,
      { certificate: `${appCert.key}\n${appCert.cert}` },
      {
        authorityHost: h.sim.url,
        disableInstanceDiscovery: true,
        httpClient: undiciHttpClient(h.agent),
      },
    );
    const accessToken = await credential.getToken(
      'https://api.securitycenter.microsoft.com/.default',
    );
    expect(claimsOf(accessToken.token).appid).toBe(CERT_APP);
  });

  it('reports an authentication failure for a wrong secret', async () => {
    const credential = new ClientSecretCredential(
      h.sim.tenantId,
      h.sim.clientId,
      'not-the-secret',
      {
        authorityHost: h.sim.url,
        disableInstanceDiscovery: true,
        httpClient: undiciHttpClient(h.agent),
      },
    );
    await expect(
      credential.getToken('https://api.securitycenter.microsoft.com/.default'),
    ).rejects.toThrow(/7000215/);
  });
});
