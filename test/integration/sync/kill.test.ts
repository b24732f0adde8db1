import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { graphSnapshot, startSyncBench, type SyncBench } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../../bin/mde-car', import.meta.url));

/** Runs `mde-car sync` and kills it (by PID) once its log shows the second machines page. */
function syncAndKillAtPage2(
  profile: string,
  db: string,
): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'sync', '--config', profile, '--db', db, '--log-level', 'debug'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!killed && /"page":2,[^\n]*machines page written/.test(stderr)) {
        killed = true;
        process.kill(child.pid as number, 'SIGKILL');
      }
    });
    child.once('error', reject);
    child.once('exit', () => resolve({ killed, stderr }));
  });
}

describe('a sync process killed between writes', () => {
  let bench: SyncBench;

  afterAll(async () => {
    await bench?.close();
  });

  it('leaves a store that the next run completes to the graph of an uninterrupted run', async () => {
    bench = await startSyncBench({ machines: 800, quotas: false });
    const profilePath = join(bench.dir, 'profile.json');
    const profile = { ...bench.sim.profile({ caFile: bench.caFile }), sync: { pageSize: 200 } };
    writeFileSync(profilePath, JSON.stringify(profile), { mode: 0o600 });
    const killedDb = join(bench.dir, 'killed.db');

    const { killed, stderr } = await syncAndKillAtPage2(profilePath, killedDb);
    expect(killed, stderr.slice(-2000)).toBe(true);

    const config = bench.config({ sync: { pageSize: 200 } });
    const store = bench.store('killed');
    expect(store.path).toBe(killedDb);
    expect(await store.getCheckpoint(config.connection.name)).toBeUndefined();
    const resumed = await bench.sync(store, { config });
    expect(resumed).toMatchObject({ mode: 'full', outcome: 'ok' });

    const reference = bench.store('reference');
    expect((await bench.sync(reference, { config })).outcome).toBe('ok');
    expect(graphSnapshot(store)).toEqual(graphSnapshot(reference));
    const runs = await store.listRuns(config.connection.name, 5);
    // The killed run is marked failed (interrupted) when the next run of the source begins.
    expect(runs.map((r) => r.outcome).sort()).toEqual(['failed', 'ok']);
  });
});
