import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './service-helper.ts';

const BIN = resolve(import.meta.dirname, '../../../bin/mde-car');

describe('mde-car serve --demo', () => {
  let dir: string;
  let child: ChildProcess;
  let stdout = '';
  let stderr = '';
  let url = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mde-car-serve-cmd-'));
    child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--data-dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MDE_CAR_SECRET_KEY: '' },
    });
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.test(stdout), 60_000);
    url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1] ?? '';
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints where the API token is, not the token itself, and creates token and key files with mode 0600', () => {
    const token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
    expect(stdout).toContain(join(dir, 'api-token'));
    expect(stdout).not.toContain(token);
    expect(stderr).not.toContain(token);
    expect(statSync(join(dir, 'api-token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('brings the demo connection to connected and the Data Explorer answers', async () => {
    await waitFor(async () => {
      const statuses = (await (await fetch(`${url}/api/status`)).json()) as {
        connection: string;
        state: string;
      }[];
      return statuses.some((s) => s.connection === 'demo' && s.state === 'connected');
    }, 60_000);
    const runs = (await (await fetch(`${url}/api/runs?connection=demo`)).json()) as {
      outcome: string;
    }[];
    expect(runs.some((run) => run.outcome === 'ok')).toBe(true);
    const result = (await (await fetch(`${url}/api/search?host=laptop-00001`)).json()) as {
      kind: string;
    };
    expect(result.kind).toBe('host');
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolveExit) =>
      child.once('exit', (code) => resolveExit(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
