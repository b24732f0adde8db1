import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MdeAuthError, MdeHttpError } from '../../../src/errors.ts';
import { silentLogger } from '../../../src/log.ts';
import { Runner } from '../../../src/runner/runner.ts';
import type { CheckResult, JobInput } from '../../../src/runner/run-job.ts';
import type { RunSummary } from '../../../src/sync/types.ts';
import { FakeClock } from './fake-clock.ts';
import { CLIENT_SECRET, configurationBody, connectionBody, summaryOf } from './fixtures.ts';

const MINUTE = 60_000;
let dir: string;
let runner: Runner | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mde-car-runner-'));
});

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
  rmSync(dir, { recursive: true, force: true });
});

type SyncImpl = (input: JobInput) => Promise<RunSummary>;

function makeRunner(
  sync: SyncImpl,
  check: (input: JobInput) => Promise<CheckResult> = async () => ({ ok: true, message: 'ok' }),
  checkIntervalMinutes = 5,
) {
  const clock = new FakeClock();
  runner = new Runner({
    dataDir: dir,
    graphDbPath: join(dir, 'graph.db'),
    secretKey: Buffer.alloc(32, 3),
    logger: silentLogger(),
    clock,
    checkIntervalMinutes,
    sync,
    check,
  });
  runner.start();
  runner.createConnection(connectionBody({ frequencyMinutes: 15 }));
  return { clock, runner };
}

function configurationState(r: Runner) {
  return r.connectionStatus('contoso-prod').configurations[0];
}

describe('runner status', () => {
  it('is unavailable until the first import completes, then connected', async () => {
    let release: (s: RunSummary) => void = () => undefined;
    const { clock, runner: r } = makeRunner(
      () => new Promise<RunSummary>((resolve) => (release = resolve)),
    );
    expect(r.connectionStatus('contoso-prod').state).toBe('unavailable');

    r.createConfiguration('contoso-prod', configurationBody());
    await clock.advance(0);
    expect(configurationState(r)).toMatchObject({ state: 'unavailable', isRunning: true });

    release(summaryOf('ok', { finishedAt: clock.now().toISOString() }));
    await clock.advance(0);
    expect(configurationState(r)).toMatchObject({ state: 'connected', isRunning: false });
    expect(r.connectionStatus('contoso-prod').state).toBe('connected');
  });

  it('passes the decrypted secret and the custom endpoints to the sync', async () => {
    const inputs: JobInput[] = [];
    const { clock, runner: r } = makeRunner(async (input) => {
      inputs.push(input);
      return summaryOf('ok');
    });
    r.createConfiguration('contoso-prod', configurationBody());
    await clock.advance(0);
    expect(inputs[0]?.configuration.clientSecret).toBe(CLIENT_SECRET);
    expect(inputs[0]?.configuration.endpoints.apiUrl).toBe('https://api.example.mock.test');
    expect(inputs[0]?.config.target.dbPath).toBe(join(dir, 'graph.db'));
  });

  it('shows a credentials error when the sync fails to get a token, with its message', async () => {
    const { clock, runner: r } = makeRunner(async () => {
      throw new MdeAuthError('Entra ID refused the client secret of client 6666; check the secret');
    });
    r.createConfiguration('contoso-prod', configurationBody());
    await clock.advance(0);
    expect(configurationState(r)).toMatchObject({
      state: 'error',
      category: 'credentials',
      errorCode: 'MDE_AUTH_FAILED',
      message: 'Entra ID refused the client secret of client 6666; check the secret',
    });
    expect(r.listRuns({})[0]).toMatchObject({ outcome: 'failed', errorCode: 'MDE_AUTH_FAILED' });
  });

  it('maps a failed run summary to its category and a deferred one to throttled', async () => {
    const outcomes = [
      summaryOf('failed', {
        errorCode: 'MDE_FORBIDDEN',
        reason: 'the token lacks Machine.Read.All',
      }),
      summaryOf('deferred', { errorCode: 'MDE_DEFERRED', resumeAfter: '2026-01-01T00:20:00.000Z' }),
    ];
    // Checks are spaced out so that a passing check does not clear the states under test.
    const { clock, runner: r } = makeRunner(
      async () => outcomes.shift() ?? summaryOf('ok'),
      undefined,
      24 * 60,
    );
    r.createConfiguration('contoso-prod', configurationBody());
    await clock.advance(0);
    expect(configurationState(r)).toMatchObject({ state: 'error', category: 'permission' });
    await clock.advance(15 * MINUTE);
    expect(configurationState(r)).toMatchObject({ state: 'error', category: 'throttled' });
  });

  it('clears an error when a later connection check passes, and sets one when a check fails', async () => {
    const checks: CheckResult[] = [{ ok: true, message: 'ok' }];
    const { clock, runner: r } = makeRunner(
      async () => {
        throw new MdeHttpError(
          'MDE_NETWORK',
          'cannot reach api.example.mock.test; check the edge gateway',
        );
      },
      async () =>
        checks.shift() ?? {
          ok: false,
          message: 'token lacks Machine.Read.All',
          errorCode: 'MDE_FORBIDDEN',
        },
    );
    r.createConfiguration('contoso-prod', configurationBody());
    await clock.advance(0);
    expect(configurationState(r)).toMatchObject({ state: 'error', category: 'network' });

    await clock.advance(5 * MINUTE);
    expect(configurationState(r)).toMatchObject({ state: 'unavailable' });
    expect(configurationState(r)?.lastCheckAt).toBe('2026-01-01T00:05:00.000Z');

    await clock.advance(5 * MINUTE);
    expect(configurationState(r)).toMatchObject({ state: 'error', category: 'permission' });
  });
});

describe('runner schedule and history', () => {
  it('records a run that was due while the previous one was going as skipped', async () => {
    let release: (s: RunSummary) => void = () => undefined;
    let calls = 0;
    const { clock, runner: r } = makeRunner(() => {
      calls += 1;
      return new Promise<RunSummary>((resolve) => (release = resolve));
    });
    r.createConfiguration('contoso-prod', configurationBody());
    await clock.advance(16 * MINUTE);
    expect(calls).toBe(1);
    release(summaryOf('ok'));
    await clock.advance(0);

    const runs = r.listRuns({ connection: 'contoso-prod' });
    expect(runs.map((run) => [run.outcome, run.trigger])).toEqual([
      ['skipped', 'schedule'],
      ['ok', 'start'],
    ]);
    expect(runs[0]?.reason).toMatch(/still going/);
  });

  it('refuses a manual run of a configuration that is already running', async () => {
    const { clock, runner: r } = makeRunner(() => new Promise<RunSummary>(() => undefined));
    r.createConfiguration('contoso-prod', configurationBody());
    await clock.advance(0);
    expect(() => r.runNow('contoso-prod', 'primary')).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    expect(r.runNow('contoso-prod')).toEqual({ started: [], alreadyRunning: ['primary'] });
    // The hanging sync would keep stop() waiting; the test ends the runner's database only.
    runner = undefined;
  });

  it('runs the configurations of one connection one after the other', async () => {
    let active = 0;
    let maxActive = 0;
    const releases: (() => void)[] = [];
    const { clock, runner: r } = makeRunner(async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((resolve) => releases.push(resolve));
      active -= 1;
      return summaryOf('ok');
    });
    r.createConfiguration('contoso-prod', configurationBody());
    r.createConfiguration('contoso-prod', configurationBody({ name: 'secondary' }));
    await clock.advance(0);
    expect(releases).toHaveLength(1);
    releases[0]?.();
    await clock.advance(0);
    expect(releases).toHaveLength(2);
    releases[1]?.();
    await clock.advance(0);
    expect(maxActive).toBe(1);
    expect(r.connectionStatus('contoso-prod').state).toBe('connected');
  });

  it('stops scheduling a deleted configuration', async () => {
    let calls = 0;
    const { clock, runner: r } = makeRunner(async () => {
      calls += 1;
      return summaryOf('ok');
    });
    r.createConfiguration('contoso-prod', configurationBody());
    await clock.advance(0);
    r.deleteConfiguration('contoso-prod', 'primary');
    await clock.advance(60 * MINUTE);
    expect(calls).toBe(1);
    expect(r.connectionStatus('contoso-prod')).toMatchObject({
      state: 'unavailable',
      configurations: [],
    });
  });
});
