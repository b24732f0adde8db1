/**
 * The benchmark's Defender: `mde-car simulate` in a child process, so the simulator and the
 * connector do not share a CPU core or a heap while one is measured. It is stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Agent, fetch } from 'undici';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const URL_PATTERN = /https:\/\/127\.0\.0\.1:\d+/;
const START_TIMEOUT_MS = 180_000;

export interface SimulatorProcess {
  url: string;
  profilePath: string;
  pid: number;
  /** Moves the simulated clock (POST /_sim/clock/advance). */
  advanceClock(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `mde-car simulate` with quotas off and waits for its address and profile. */
export async function startSimulatorProcess(options: {
  machines: number;
  profilePath: string;
  seed?: number;
}): Promise<SimulatorProcess> {
  const child = spawn(
    process.execPath,
    [
      // Node flags for the simulator alone, e.g. SIM_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/p"
      // to profile it while the benchmark runs.
      ...(process.env.SIM_EXEC_ARGV ? process.env.SIM_EXEC_ARGV.split(' ') : []),
      join(ROOT, 'bin/mde-car'),
      'simulate',
      '--port',
      '0',
      '--machines',
      String(options.machines),
      '--quotas',
      'off',
      '--seed',
      String(options.seed ?? 1),
      '--write-profile',
      options.profilePath,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid as number;
  // The simulator must not outlive the benchmark, also when the benchmark is interrupted.
  const stopOnExit = (): void => {
    if (child.exitCode === null) process.kill(pid, 'SIGTERM');
  };
  process.once('exit', stopOnExit);
  const url = await waitForUrl(child, options.profilePath);
  const profile = JSON.parse(readFileSync(options.profilePath, 'utf8')) as {
    http?: { caFile?: string };
  };
  const ca = profile.http?.caFile ? readFileSync(profile.http.caFile, 'utf8') : undefined;
  const agent = new Agent({ connect: ca ? { ca } : {}, keepAliveTimeout: 1000 });

  return {
    url,
    profilePath: options.profilePath,
    pid,
    async advanceClock(ms: number) {
      const response = await fetch(`${url}/_sim/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ minutes: ms / 60_000 }),
        dispatcher: agent,
      });
      if (!response.ok)
        throw new Error(`clock advance answered ${response.status}: ${await response.text()}`);
    },
    async stop() {
      process.off('exit', stopOnExit);
      await agent.close();
      await stopChild(child, pid);
    },
  };
}

function waitForUrl(child: ChildProcess, profilePath: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    let url: string | undefined;
    const timer = setTimeout(
      () =>
        finish(
          new Error(`simulator did not start in ${START_TIMEOUT_MS} ms: ${output.slice(-500)}`),
        ),
      START_TIMEOUT_MS,
    );
    const poll = setInterval(() => {
      if (url && existsSync(profilePath)) finish(undefined, url);
    }, 50);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      url ??= URL_PATTERN.exec(output)?.[0];
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      finish(new Error(`simulator exited with ${code}: ${output.slice(-500)}`)),
    );

    function finish(err: Error | undefined, value?: string): void {
      clearTimeout(timer);
      clearInterval(poll);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      // Keep draining both pipes so a chatty child never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      if (err) reject(err);
      else resolvePromise(value as string);
    }
  });
}

function stopChild(child: ChildProcess, pid: number): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    child.once('exit', () => resolvePromise());
    process.kill(pid, 'SIGTERM');
  });
}
