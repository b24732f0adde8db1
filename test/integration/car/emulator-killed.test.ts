import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CarImportError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { openCarTarget } from '../../../src/targets/car/open.ts';
import { carConfig, checkpointOf, FAST, loadBatch, runOnce, SOURCE } from './helpers.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const PASSWORD = 'killed-test-password';

/** Starts `mde-car car-emulator` as a child process and resolves with it and its URL. */
async function spawnEmulator(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      './bin/mde-car',
      'car-emulator',
      '--port',
      '0',
      '--db',
      dbPath,
      '--key',
      'connector',
      '--log-level',
      'warn',
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, CAR_EMULATOR_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((text) => text.startsWith('http://'));
      if (line !== undefined) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`car-emulator exited with ${code}: ${stderr}`)));
  });
  return { child, url };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

describe('CAR emulator process killed between imports', () => {
  const children: ChildProcess[] = [];
  let dir = '';

  afterEach(async () => {
    for (const child of children.splice(0)) await stop(child, 'SIGTERM');
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the checkpoint, and the next run against the restarted emulator completes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'car-killed-'));
    const dbPath = join(dir, 'emulator.db');
    const ledgerPath = join(dir, 'ledger.db');

    const first = await spawnEmulator(dbPath);
    children.push(first.child);
    const target = openCarTarget(
      carConfig({ url: first.url, dbPath: ledgerPath, password: PASSWORD }),
      silentLogger(),
      FAST,
    );
    await runOnce(target, { runNumber: 1, batches: [loadBatch('two-machines-run-1')] });

    const reportKey = '1714000002000';
    await target.beginRun({
      runId: 'run-2',
      source: SOURCE,
      mode: 'full',
      startedAt: new Date(Number(reportKey)),
      reportKey,
    });
    await target.write(loadBatch('two-machines-run-2'));
    await stop(first.child, 'SIGKILL');
    const error = await target.write(loadBatch('two-machines-run-1')).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CarImportError);
    expect((error as CarImportError).code).toBe('CAR_UNAVAILABLE');
    // The session cannot be closed while CAR is down; a failed run ends without throwing again.
    await target.finishRun({ outcome: 'failed', summary: { reason: 'car unavailable' } });
    await target.close();

    const second = await spawnEmulator(dbPath);
    children.push(second.child);
    const next = openCarTarget(
      carConfig({ url: second.url, dbPath: ledgerPath, password: PASSWORD }),
      silentLogger(),
      FAST,
    );
    try {
      expect(await next.getCheckpoint(SOURCE)).toEqual(checkpointOf(1));
      expect((await next.listRuns(SOURCE, 1))[0]).toMatchObject({
        runId: 'run-2',
        outcome: 'failed',
      });
      await runOnce(next, { runNumber: 3, batches: [loadBatch('two-machines-run-2')] });
      expect(await next.getCheckpoint(SOURCE)).toEqual(checkpointOf(3));
    } finally {
      await next.close();
    }
  });
});
