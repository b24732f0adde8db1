import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpsTestServer, type HttpsTestServer } from '../../helpers/https-test-server.ts';
import { clientFor, collect, SECRET } from './client-fixture.ts';
import { hasCode, MdeAuthError, MdeHttpError } from '../../../src/errors.ts';

let server: HttpsTestServer;
let dir: string;
beforeAll(async () => {
  server = await startHttpsTestServer();
  dir = mkdtempSync(join(tmpdir(), 'mde-auth-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.reset();
  server.on('GET', '/api/machines', { body: { value: [{ id: 'm1' }] } });
});

describe('tokens', () => {
  it('reuses one token across calls while it is far from expiry', async () => {
    const { client } = clientFor(server);
    await collect(client.listMachines());
    await collect(client.listMachines());
    await client.close();

    expect(server.tokensIssued()).toBe(1);
  });

  it('renews a token that expires within two minutes', async () => {
    server.reset({ expiresInSeconds: 100 });
    server.on('GET', '/api/machines', { body: { value: [{ id: 'm1' }] } });
    const { client } = clientFor(server);
    await collect(client.listMachines());
    await collect(client.listMachines());
    await client.close();

    expect(server.tokensIssued()).toBe(2);
  });

  it('refreshes once after a 401 mid-run and the call succeeds', async () => {
    const { client } = clientFor(server);
    await collect(client.listMachines());
    server.refuseIssuedTokens();

    const pages = await collect(client.listMachines());
    const stats = client.stats();
    await client.close();

    expect(pages.flat()).toHaveLength(1);
    expect(stats.tokenRefreshes).toBe(1);
    expect(server.tokensIssued()).toBe(2);
  });

  it('fails with MDE_UNAUTHORIZED on a second 401 instead of looping', async () => {
    server.reset();
    server.on('GET', '/api/machines', {
      status: 401,
      body: { error: { code: 'Unauthorized', message: 'expired' } },
    });
    const { client } = clientFor(server);

    const error = await collect(client.listMachines()).catch((e: unknown) => e);
    await client.close();

    expect(hasCode(error, 'MDE_UNAUTHORIZED')).toBe(true);
    expect(server.apiRequests()).toHaveLength(2);
    expect(server.tokensIssued()).toBe(2);
  });

  it('reports a refused secret as MDE_AUTH_FAILED with the AADSTS code and never the secret', async () => {
    server.reset({ clientSecret: 'the-right-one' });
    const { client } = clientFor(server);

    const error = await client.grantedRoles().catch((e: unknown) => e);
    await client.close();

    expect(error).toBeInstanceOf(MdeAuthError);
    expect((error as MdeAuthError).aadCode).toBe(7000215);
    expect((error as Error).message).toContain('secret value');
    expect((error as Error).message).not.toContain(SECRET);
    expect(server.apiRequests()).toHaveLength(0);
  });

  it('gets tokens with a certificate credential', async () => {
    const pem = join(dir, 'client.pem');
    writeFileSync(pem, `${server.tls.key}\n${server.tls.cert}`);
    server.reset({ roles: ['Machine.Read.All', 'Alert.Read.All'] });
    const { client } = clientFor(server, {
      configuration: { clientSecret: undefined, certificatePath: pem },
    });

    const roles = await client.grantedRoles();
    await client.close();

    expect(roles).toEqual(['Machine.Read.All', 'Alert.Read.All']);
    const tokenRequest = server.requests.find((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(new URLSearchParams(tokenRequest?.body).get('client_assertion_type')).toContain(
      'jwt-bearer',
    );
  });
});

describe('403 with the wrong audience (B10)', () => {
  it('names the audience, the expected one and the roles, and does not retry', async () => {
    server.reset({ audience: 'https://graph.mock.test', roles: ['Machine.Read.All'] });
    server.on('GET', '/api/machines', {
      status: 403,
      body: {
        error: { code: 'Forbidden', message: 'The token audience is not valid for this API.' },
      },
    });
    const { client, sleeps } = clientFor(server);

    const error = await collect(client.listMachines()).catch((e: unknown) => e);
    await client.close();

    expect(hasCode(error, 'MDE_FORBIDDEN')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('token audience https://graph.mock.test');
    expect(message).toContain(`expected ${server.origin}`);
    expect(message).toContain('roles: Machine.Read.All');
    expect((error as MdeHttpError).status).toBe(403);
    expect(server.apiRequests()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});
