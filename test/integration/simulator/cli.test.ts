import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';

const ROOT = join(import.meta.dirname, '../../..');

function waitForOutput(child: ChildProcess, marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(marker)) resolve(out);
    });
    child.once('exit', (code) =>
      reject(new Error(`simulate exited with ${code} before printing "${marker}": ${out}`)),
    );
  });
}

describe('mde-car simulate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a tenant, writes a 0600 profile and its CA file, never prints the secret, and stops on SIGTERM', async () => {
    const profilePath = join(dir, 'sim.json');
    child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/mde-car'),
        'simulate',
        '--machines',
        '30',
        '--port',
        '0',
        '--write-profile',
        profilePath,
        '--advance-minutes',
        '30',
        '--log-level',
        'error',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out = await waitForOutput(child, 'Press Ctrl+C');
    const url = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url).toBeDefined();

    const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as {
      connection: {
        hostPort: number;
        configurations: {
          clientSecret: string;
          loginUrl: string;
          cloud: string;
          tenantId: string;
          clientId: string;
        }[];
      };
      http: { caFile: string };
    };
    expect(statSync(profilePath).mode & 0o777).toBe(0o600);
    const [configuration] = profile.connection.configurations;
    expect(configuration?.loginUrl).toBe(url);
    expect(configuration?.cloud).toBe('custom');
    expect(profile.connection.hostPort).toBe(Number(new URL(url ?? '').port));
    expect(out).toContain(configuration?.tenantId);
    expect(out).toContain(configuration?.clientId);
    expect(out).not.toContain(configuration?.clientSecret);
    expect(out).toContain('(clock 2025-06-02T12:30:00.000Z)');

    const agent = new Agent({ connect: { ca: readFileSync(profile.http.caFile, 'utf8') } });
    const res = await request(`${url}/_sim/state`, { dispatcher: agent });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    await agent.close();

    const exited = new Promise<number | null>((resolve) =>
      child?.once('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
