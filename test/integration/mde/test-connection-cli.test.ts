import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHttpsTestServer, type HttpsTestServer } from '../../helpers/https-test-server.ts';
import { CLIENT, SECRET, TENANT } from './client-fixture.ts';
import { runTestConnection } from '../../../src/cli/commands/test-connection.ts';
import { main } from '../../../src/cli/main.ts';

let server: HttpsTestServer;
let dir: string;
beforeAll(async () => {
  server = await startHttpsTestServer();
  dir = mkdtempSync(join(tmpdir(), 'mde-cli-'));
  copyFileSync(server.caFile, join(dir, 'ca.pem'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.reset({ roles: ['Machine.Read.All', 'Alert.Read.All'] });
  server.on('GET', '/api/machines', { body: { value: [{ id: 'm1' }] } });
  server.on('GET', '/api/alerts/api/machines', {
    status: 404,
    body: {
      error: {
        code: 'ResourceNotFound',
        message: 'Resource /api/alerts/api/machines was not found',
      },
    },
  });
  server.on('GET', '/api/alerts', { body: { value: [] } });
});

function writeProfile(apiUrl: string): string {
  const file = join(dir, 'profile.json');
  const profile = {
    connection: {
      name: 'sim',
      configurations: [
        {
          name: 'main',
          tenantId: TENANT,
          clientId: CLIENT,
          clientSecret: SECRET,
          cloud: 'custom',
          loginUrl: server.origin,
          apiUrl,
          graphUrl: server.origin,
        },
      ],
    },
    http: { caFile: 'ca.pem' },
    log: { level: 'info' },
  };
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

async function runCli(
  flags: Record<string, unknown>,
): Promise<{ code: number; out: string; logs: string }> {
  const stdout = new PassThrough();
  const logs = new PassThrough();
  let out = '';
  let logText = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  logs.on('data', (c: Buffer) => (logText += c.toString()));
  const code = await runTestConnection(flags, { stdout, env: {}, logDestination: logs });
  return { code, out, logs: logText };
}

describe('mde-car test-connection', () => {
  it('cleans a base URL typed with a path, warns once, and the test then passes (B26)', async () => {
    const file = writeProfile(`${server.origin}/api/alerts/`);

    const { code, out, logs } = await runCli({ config: file });

    expect(code).toBe(0);
    expect(out).toContain('OK: the sync can run.');
    expect(out).toContain('users disabled: User.Read.All and AdvancedQuery.Read.All are missing');
    const warning = logs
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'base URL path removed');
    expect(warning).toMatchObject({
      level: 'warn',
      key: 'connection.configurations[0].apiUrl',
      cleaned: server.origin,
    });
    expect(server.apiRequests().map((r) => r.path)).not.toContain('/api/alerts/api/machines');
    expect(out + logs).not.toContain(SECRET);
  });

  it('exits 53 with the missing required role named when machines cannot be read', async () => {
    server.reset({ roles: ['Alert.Read.All'] });
    server.on('GET', '/api/machines', { status: 403, body: { error: { code: 'Forbidden' } } });
    server.on('GET', '/api/alerts', { body: { value: [] } });

    const { code, out } = await runCli({ config: writeProfile(server.origin), json: true });

    expect(code).toBe(53);
    const [result] = JSON.parse(out) as { check: { ok: boolean; missingRequired: string[] } }[];
    expect(result?.check.ok).toBe(false);
    expect(result?.check.missingRequired).toEqual(['Machine.Read.All or Machine.ReadWrite.All']);
  });

  it('exits 52 when Entra ID refuses the secret and prints no secret', async () => {
    server.reset({ clientSecret: 'another-secret' });

    const { code, out, logs } = await runCli({ config: writeProfile(server.origin) });

    expect(code).toBe(52);
    expect(out).toContain('AADSTS7000215');
    expect(out + logs).not.toContain(SECRET);
  });

  it('takes the existing connector single-dash flags through the CLI entry', async () => {
    const file = join(dir, 'no-credentials.json');
    writeFileSync(
      file,
      JSON.stringify({
        connection: {
          configurations: [
            {
              cloud: 'custom',
              loginUrl: server.origin,
              apiUrl: server.origin,
              graphUrl: server.origin,
            },
          ],
        },
        http: { caFile: 'ca.pem' },
        log: { level: 'silent' },
      }),
    );

    const code = await main([
      'node',
      'mde-car',
      'test-connection',
      '--config',
      file,
      '-tenantID',
      TENANT,
      '-clientID',
      CLIENT,
      '-clientSecret',
      SECRET,
    ]);

    expect(code).toBe(0);
  });

  it('exits 2 with the key named when the configuration is invalid', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        connection: {
          configurations: [{ tenantId: 'abc', clientId: CLIENT, clientSecret: SECRET }],
        },
      }),
    );

    const code = await main(['node', 'mde-car', 'test-connection', '--config', file]);

    expect(code).toBe(2);
  });
});
